//! Streets and communities as registers write them, matched against the official lists that
//! `init --district` seeds: the forms of a street office's name (街办, 街道办, 街道办事处, 办事处,
//! with or without the district in front), a 镇 that is a 街道, streets of another district, a
//! district written as a street; communities by short form, with a typo, under another street,
//! and a community added by hand (`tests/fixtures/places/`).

use crate::util::Dir;

/// The street and community each worker was registered under, by name.
fn places_of(d: &Dir) -> Vec<Vec<Option<String>>> {
    d.rows(
        "SELECT w.name, s.name, c.name, c.code FROM workers w JOIN streets s ON s.id = w.street_id \
         LEFT JOIN communities c ON c.id = w.community_id ORDER BY w.id",
    )
}

fn row(cells: [&str; 4]) -> Vec<Option<String>> {
    cells.iter().map(|c| Some(c.to_string())).collect()
}

#[test]
fn street_office_forms_and_short_community_names_resolve_to_the_official_names() {
    let d = Dir::new();
    d.init();
    d.import("workers", "places/street-forms.csv")
        .stderr_has(&["street-forms.csv: 共 5 行：新增 5，更新 0，未变 0"]);
    assert_eq!(
        places_of(&d),
        [
            row(["吴玲", "柳巷街道", "宁化府社区居委会", "140106001002"]),
            row(["曹军", "柳巷街道", "宁化府社区居委会", "140106001002"]),
            row(["贾敏", "柳巷街道", "宁化府社区居委会", "140106001002"]),
            row(["郭强", "柳巷街道", "铁匠巷社区居委会", "140106001008"]),
            row(["杜鹃", "柳巷街道", "铁匠巷社区居委会", "140106001008"]),
        ]
    );
    // A short form names the official community; it never becomes a community of its own.
    assert_eq!(d.int("SELECT count(*) FROM communities"), 112);
    assert_eq!(
        d.int("SELECT count(*) FROM communities WHERE code IS NULL"),
        0
    );
    // `--street` takes the same forms.
    let liuxiang = d
        .nf(&["worker", "list", "--street", "柳巷街办", "--format", "json"])
        .ok()
        .json_array();
    assert_eq!(liuxiang.len(), 5);
}

#[test]
fn a_town_for_a_street_another_district_s_street_and_a_district_are_refused_and_explained() {
    let d = Dir::new();
    d.init();
    d.copy("places/wrong-streets.csv");
    let o = d.nf(&["import", "workers", "wrong-streets.csv"]).code(1);
    assert_eq!(
        o.stderr,
        "wrong-streets.csv: 按 UTF-8 读取\n\
         wrong-streets.csv:第2行: 所属街道(I): 柳巷镇: 柳巷街道是街道，不是镇 — 是不是“柳巷街道”？\n\
         wrong-streets.csv:第3行: 所属街道(I): 小店街道: 小店街道属于小店区，不在本台账的迎泽区 — \
         请核对街道；小店区的人员登记在小店区的台账里\n\
         wrong-streets.csv:第4行: 所属街道(I): 坞城街道: 坞城街道属于小店区，不在本台账的迎泽区 — \
         请核对街道；小店区的人员登记在小店区的台账里\n\
         wrong-streets.csv:第5行: 所属街道(I): 迎泽区: 迎泽区是区县，不是街道 — 请写具体的街道：\
         柳巷街道、文庙街道、庙前街道、迎泽街道、桥东街道、老军营街道、郝庄镇\n\
         错误：wrong-streets.csv: 共 4 行，其中 4 行有问题（见上）；什么都没有导入 — 改正后再导入，\
         或用 --skip-invalid --rejects FILE 只导入没有问题的行\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
    let o = d
        .nf(&["--lang", "en", "import", "workers", "wrong-streets.csv"])
        .code(1);
    o.stderr_has(&[
        "wrong-streets.csv:2: 所属街道 (I): 柳巷镇: 柳巷街道 is a street (街道), not a town (镇) — \
         did you mean 柳巷街道?\n",
        "wrong-streets.csv:3: 所属街道 (I): 小店街道: 小店街道 belongs to 小店区, not to this \
         registry's 迎泽区 — check the street; people of 小店区 belong in 小店区's registry\n",
        "wrong-streets.csv:5: 所属街道 (I): 迎泽区: 迎泽区 is a county-level district, not a street \
         — write the street: 柳巷街道, 文庙街道, 庙前街道, 迎泽街道, 桥东街道, 老军营街道, 郝庄镇\n",
    ]);
    // The typo of case 13 still gets its suggestion.
    d.nf(&["worker", "list", "--street", "柳港街道"])
        .code(2)
        .stderr_has(&["--street 柳港街道: 不是已登记的街道 — 是不是“柳巷街道”？"]);
}

#[test]
fn a_community_typo_is_suggested_and_another_street_s_community_is_named_with_its_street() {
    let d = Dir::new();
    d.init();
    d.copy("places/wrong-communities.csv");
    let o = d
        .nf(&["import", "workers", "wrong-communities.csv"])
        .code(1);
    assert_eq!(
        o.stderr,
        "wrong-communities.csv: 按 UTF-8 读取\n\
         wrong-communities.csv:第2行: 所属社区(J): 宁化付社区: 不是柳巷街道的社区 — 是不是“宁化府社区居委会”？\
         （官方名单以外的新社区：在街道社区台账里加一行“社区,,名称,140106001”，用 nuanfeng import streets 文件 导入）\n\
         wrong-communities.csv:第3行: 所属社区(J): 宁化府社区居委会: 宁化府社区居委会属于柳巷街道，\
         不是文庙街道的社区 — 请核对所属街道和所属社区\n\
         wrong-communities.csv:第4行: 所属社区(J): 新建社区: 不是柳巷街道的社区\
         （官方名单以外的新社区：在街道社区台账里加一行“社区,,名称,140106001”，用 nuanfeng import streets 文件 导入）\n\
         错误：wrong-communities.csv: 共 3 行，其中 3 行有问题（见上）；什么都没有导入 — 改正后再导入，\
         或用 --skip-invalid --rejects FILE 只导入没有问题的行\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM communities"), 112);
    d.nf(&["--lang", "en", "import", "workers", "wrong-communities.csv"])
        .code(1)
        .stderr_has(&[
            "wrong-communities.csv:2: 所属社区 (J): 宁化付社区: not a community of 柳巷街道 — did you \
             mean 宁化府社区居委会? (a new community, not on the official list: add a row \
             `社区,,NAME,140106001` to a streets register and load it with `nuanfeng import streets \
             FILE`)\n",
        ]);
}

#[test]
fn a_community_added_by_hand_through_import_streets_is_then_accepted() {
    let d = Dir::new();
    d.init();
    d.import("streets", "places/new-community.csv")
        .stderr_has(&["new-community.csv: 共 1 行：新增 1，更新 0，未变 0"]);
    assert_eq!(
        d.rows("SELECT s.name, c.name, c.code FROM communities c JOIN streets s ON s.id = c.street_id WHERE c.code IS NULL"),
        [vec![Some("柳巷街道".to_string()), Some("新建社区".to_string()), None]]
    );
    // Again: nothing new.
    d.nf(&["import", "streets", "new-community.csv"])
        .ok()
        .stderr_has(&["new-community.csv: 共 1 行：新增 0，更新 0，未变 1"]);
    // The register's 新建社区 now lands; the other two rows still have their problems.
    d.copy("places/wrong-communities.csv");
    d.nf(&[
        "import",
        "workers",
        "--skip-invalid",
        "--rejects",
        "rejects.csv",
        "wrong-communities.csv",
    ])
    .ok()
    .stderr_has(&["wrong-communities.csv: 共 3 行：新增 1，更新 0，未变 0，有问题 2"]);
    assert_eq!(
        places_of(&d)
            .into_iter()
            .map(|r| r[..3].to_vec())
            .collect::<Vec<_>>(),
        [vec![
            Some("郑浩".to_string()),
            Some("柳巷街道".to_string()),
            Some("新建社区".to_string())
        ]]
    );
    assert_eq!(d.int("SELECT count(*) FROM communities"), 113);
}

#[test]
fn an_official_list_giving_a_community_s_name_to_another_code_is_a_row_problem() {
    let d = Dir::new();
    d.init();
    // 宁化府社区居委会 is 140106001002; the file gives its name to 140106001001 (察院后).
    d.write(
        "streets.csv",
        "级别,代码,名称,上级代码\n社区,140106001001,宁化府社区居委会,140106001\n",
    );
    let o = d.nf(&["import", "streets", "streets.csv"]).code(1);
    assert_eq!(
        o.stderr,
        "streets.csv: 按 UTF-8 读取\n\
         streets.csv:第2行: 代码(B): 140106001001: 本台账里代码 140106001001 是“察院后社区居委会”，\
         而“宁化府社区居委会”已是另一个社区（代码 140106001002）— 请核对代码\n\
         错误：streets.csv: 共 1 行，其中 1 行有问题（见上）；什么都没有导入 — 改正后再导入，\
         或用 --skip-invalid --rejects FILE 只导入没有问题的行\n"
    );
}
