//! The official division list built into the binary: every province, city, county-level
//! district and township/street of China from the National Bureau of Statistics'
//! 统计用区划代码 (2023, as of 2023-06-30), and every 村/社区 under them. Used by
//! `init --district` to seed a district's streets and communities, to know the district, city
//! and province names that registers put in front of a street name (`迎泽区柳巷街道`), and to
//! name the district of a street that is not the registry's (`小店街道` → 小店区).

use std::io::Read;

use anyhow::{Result, bail};

/// The NBS 2023 list: `级别,代码,名称,上级代码`, one division a line.
const DIVISIONS_CSV: &str = include_str!("data/divisions-2023.csv");

/// Every 村/社区 of China (NBS 2023, 620,573 of them), gzip-compressed in the compact form
/// that `src/data/make-communities.py` writes from the NBS list: a line `#` + 9-digit street
/// code opens a street; each line after it is a community, `名称` when its 3-digit number
/// follows the one before, `NNN,名称` otherwise.
const COMMUNITIES_GZ: &[u8] = include_bytes!("data/communities-2023.txt.gz");

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

/// The county-level districts of a city (4-digit code), in code order.
pub fn districts_of_city(city_code: &str) -> Vec<District> {
    rows()
        .filter(|(code, _, parent)| code.len() == 6 && *parent == city_code)
        .filter_map(|(code, _, _)| district(code))
        .collect()
}

/// The official communities (村/社区, 12-digit codes) of the streets whose 9-digit codes
/// `street_codes` holds, as `(street code, community)`, in code order. Unpacks the built-in
/// list (about 14 MB of text; a few tens of milliseconds).
///
/// Errors: the built-in list cannot be unpacked (a damaged binary).
pub fn communities_of(street_codes: &[&str]) -> Result<Vec<(String, Division)>> {
    let mut text = String::new();
    flate2::read::GzDecoder::new(COMMUNITIES_GZ).read_to_string(&mut text)?;
    let mut out = Vec::new();
    let mut street: Option<&str> = None;
    let mut number = 0u32;
    for line in text.lines() {
        if let Some(code) = line.strip_prefix('#') {
            street = street_codes.contains(&code).then_some(code);
            number = 0;
            continue;
        }
        let (n, name) = match line.split_once(',') {
            Some((n, name)) => (n.parse().unwrap_or(number + 1), name),
            None => (number + 1, line),
        };
        number = n;
        if let Some(s) = street {
            out.push((
                s.to_string(),
                Division {
                    code: format!("{s}{n:03}"),
                    name: name.to_string(),
                },
            ));
        }
    }
    Ok(out)
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

    #[test]
    fn the_built_in_communities_are_all_of_china() {
        let mut text = String::new();
        flate2::read::GzDecoder::new(COMMUNITIES_GZ)
            .read_to_string(&mut text)
            .unwrap();
        let communities = text.lines().filter(|l| !l.starts_with('#')).count();
        assert_eq!(communities, 620_573);
        let yingze: Vec<String> = streets_of("140106").into_iter().map(|s| s.code).collect();
        let codes: Vec<&str> = yingze.iter().map(String::as_str).collect();
        let c = communities_of(&codes).unwrap();
        assert_eq!(c.len(), 112);
        assert_eq!(c[0].0, "140106001");
        assert_eq!(c[0].1.code, "140106001001");
        assert_eq!(c[0].1.name, "察院后社区居委会");
        // Numbers that do not follow on are kept: 东厂社区居委会 is 110101001005.
        let c = communities_of(&["110101001"]).unwrap();
        let dongchang = c.iter().find(|(_, d)| d.name == "东厂社区居委会").unwrap();
        assert_eq!(dongchang.1.code, "110101001005");
    }

    #[test]
    fn taiyuan_has_its_districts() {
        let names: Vec<String> = districts_of_city("1401")
            .into_iter()
            .map(|d| d.name)
            .collect();
        assert!(names.contains(&"小店区".to_string()), "{names:?}");
        assert!(names.contains(&"迎泽区".to_string()), "{names:?}");
    }
}
