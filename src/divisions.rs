//! The official division list built into the binary: every province, city, county-level
//! district and township/street of China from the National Bureau of Statistics'
//! 统计用区划代码 (2023, as of 2023-06-30). Used by `init --district` to seed a district's
//! streets and to know the district, city and province names that registers put in front
//! of a street name (`迎泽区柳巷街道`).

use anyhow::{Result, bail};

/// The NBS 2023 list: `级别,代码,名称,上级代码`, one division a line.
const DIVISIONS_CSV: &str = include_str!("data/divisions-2023.csv");

/// One division of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Division {
    /// 2 (province), 4 (city), 6 (county-level) or 9 (township/street) digits.
    pub code: String,
    /// Official name, e.g. `柳巷街道`.
    pub name: String,
}

fn rows() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    DIVISIONS_CSV.lines().skip(1).filter_map(|line| {
        let mut f = line.split(',');
        let _level = f.next()?;
        let code = f.next()?;
        let name = f.next()?;
        let parent = f.next().unwrap_or("");
        Some((code, name, parent))
    })
}

/// A county-level district with the names above it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct District {
    /// 6-digit code, e.g. `140106`.
    pub code: String,
    /// e.g. `迎泽区`.
    pub name: String,
    /// e.g. `太原市`; `市辖区` for the municipalities' districts.
    pub city: String,
    /// e.g. `山西省`.
    pub province: String,
}

impl District {
    /// `山西省太原市迎泽区`, leaving out `市辖区`.
    pub fn full_name(&self) -> String {
        let city = if self.city == "市辖区" || self.city == self.name {
            ""
        } else {
            &self.city
        };
        format!("{}{}{}", self.province, city, self.name)
    }

    /// The spellings that may stand before a street name in a register, longest first:
    /// the full name, city+district, district, city, province.
    pub fn prefixes(&self) -> Vec<String> {
        let mut p = vec![
            self.full_name(),
            format!("{}{}", self.city, self.name),
            self.name.clone(),
            self.city.clone(),
            self.province.clone(),
        ];
        p.retain(|s| !s.is_empty() && s != "市辖区");
        p.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
        p.dedup();
        p
    }
}

fn name_of(code: &str) -> Option<&'static str> {
    rows().find(|(c, _, _)| *c == code).map(|(_, n, _)| n)
}

/// Looks up a county-level district by its 6-digit code.
pub fn district(code: &str) -> Option<District> {
    if code.len() != 6 {
        return None;
    }
    let name = name_of(code)?;
    Some(District {
        code: code.to_string(),
        name: name.to_string(),
        city: name_of(&code[..4]).unwrap_or("").to_string(),
        province: name_of(&code[..2]).unwrap_or("").to_string(),
    })
}

/// Finds a district by code (`140106`) or name (`迎泽区`, `太原市迎泽区`,
/// `山西省太原市迎泽区`).
///
/// Errors: no such district; or a name shared by several districts, listing them with their
/// codes so the user can pass the code instead.
pub fn find_district(query: &str) -> Result<District> {
    let q: String = query.chars().filter(|c| !c.is_whitespace()).collect();
    if q.len() == 6 && q.bytes().all(|b| b.is_ascii_digit()) {
        return district(&q)
            .ok_or_else(|| anyhow::anyhow!("{}", rust_i18n::t!("divisions.bad_code", code = q)));
    }
    let matches: Vec<District> = rows()
        .filter(|(code, name, _)| code.len() == 6 && q.ends_with(name))
        .filter_map(|(code, _, _)| district(code))
        .filter(|d| {
            q == d.name
                || q == d.full_name()
                || q == format!("{}{}", d.city, d.name)
                || q == format!("{}{}", d.province, d.name)
        })
        .collect();
    match matches.len() {
        0 => bail!("{}", rust_i18n::t!("divisions.no_such_name", name = query)),
        1 => Ok(matches.into_iter().next().expect("one match")),
        _ => {
            let list: Vec<String> = matches
                .iter()
                .map(|d| format!("  {}  {}", d.code, d.full_name()))
                .collect();
            bail!(
                "{}",
                rust_i18n::t!(
                    "divisions.ambiguous",
                    name = query,
                    count = matches.len(),
                    list = list.join("\n")
                )
            )
        }
    }
}

/// The townships and streets of a district, in code order.
pub fn streets_of(district_code: &str) -> Vec<Division> {
    rows()
        .filter(|(code, _, parent)| code.len() == 9 && *parent == district_code)
        .map(|(code, name, _)| Division {
            code: code.to_string(),
            name: name.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yingze_has_seven_streets() {
        let d = find_district("140106").unwrap();
        assert_eq!(d.full_name(), "山西省太原市迎泽区");
        let s = streets_of("140106");
        assert_eq!(s.len(), 7);
        assert_eq!(s[0].code, "140106001");
        assert_eq!(s[0].name, "柳巷街道");
        assert_eq!(s[6].name, "郝庄镇");
    }

    #[test]
    fn names_find_districts() {
        assert_eq!(find_district("迎泽区").unwrap().code, "140106");
        assert_eq!(find_district("太原市迎泽区").unwrap().code, "140106");
        let err = find_district("新城区").unwrap_err().to_string();
        assert!(err.contains("150102") && err.contains("610102"), "{err}");
        assert!(find_district("不存在区").is_err());
        assert_eq!(find_district("北京市东城区").unwrap().code, "110101");
    }

    #[test]
    fn municipal_districts_skip_shixiaqu() {
        let d = district("110101").unwrap();
        assert_eq!(d.full_name(), "北京市东城区");
    }
}
