//! Folders and files named in Chinese with spaces, as the instructors name them on Windows
//! (`D:\暖蜂 台账\迎泽区.db`): the registry, the registers it imports, its backup and its
//! rejects file all live there, given as absolute paths, and every message names them as
//! given. On every platform; the Windows build itself is run the same way under wine by
//! `tools/windows-check` (README, 安装).

use crate::util::Dir;

/// An example register of the repository (`examples/NAME`).
fn example(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

#[test]
fn a_registry_in_a_folder_named_in_chinese_with_a_space() {
    let d = Dir::new();
    let folder = d.join("暖蜂 台账");
    let inputs = folder.join("导入 文件");
    std::fs::create_dir_all(&inputs).unwrap();
    let stations = inputs.join("站点 台账.csv");
    std::fs::copy(example("stations.csv"), &stations).unwrap();
    let mut second = std::fs::read(example("stations.csv")).unwrap();
    second.extend_from_slice(
        "新开 驿站,快递站点,顺丰速运,太原市迎泽区,不存在街道,1,,,,\n".as_bytes(),
    );
    let batch = inputs.join("站点 第二批.csv");
    std::fs::write(&batch, second).unwrap();
    let db = folder.join("迎泽区.db");
    let backup = folder.join("备份 12月.db");
    let rejects = folder.join("站点 拒收.csv");
    let [db_s, stations_s, batch_s, backup_s, rejects_s] =
        [&db, &stations, &batch, &backup, &rejects].map(|p| p.to_str().unwrap().to_string());
    let nf = |args: &[&str]| {
        let mut c = d.bare();
        c.args(&["--db", &db_s]).args(args);
        c
    };

    let o = nf(&["init", "--district", "140106"]).ok();
    assert_eq!(
        o.stderr,
        format!(
            "已创建 {db_s}\n山西省太原市迎泽区（140106）：7 个街道，新增 7 个；112 个社区和村，新增 112 个\n"
        )
    );
    let o = nf(&["import", "stations", &stations_s]).ok();
    assert_eq!(
        o.stderr,
        format!("{stations_s}: 按 UTF-8 读取\n{stations_s}: 共 100 行：新增 100，更新 0，未变 0\n")
    );
    let o = nf(&["backup", &backup_s]).ok();
    let pages = d.int_in("暖蜂 台账/备份 12月.db", "PRAGMA page_count");
    assert_eq!(
        o.stderr,
        format!("已把 {db_s} 备份到 {backup_s}：{pages} 页，从业人员 0 人，报到 0 条\n")
    );
    let o = nf(&[
        "import",
        "stations",
        "--skip-invalid",
        &batch_s,
        "--rejects",
        &rejects_s,
    ])
    .ok();
    assert_eq!(
        o.stderr,
        format!(
            "{batch_s}: 按 UTF-8 读取\n\
             {batch_s}:第102行: 所属街道(E): 不存在街道: 不是已登记的街道 — 已登记的街道：柳巷街道、文庙街道、庙前街道、迎泽街道、桥东街道、老军营街道、郝庄镇\n\
             {batch_s}: 共 101 行：新增 0，更新 0，未变 100，有问题 1（问题行已写入 {rejects_s}）\n"
        )
    );
    let rows = std::fs::read_to_string(&rejects).unwrap();
    assert_eq!(rows.lines().count(), 2, "{rows}");
    assert!(rows.lines().nth(1).unwrap().contains("新开 驿站"), "{rows}");
    let o = nf(&["check"]).ok();
    assert_eq!(
        o.stderr,
        format!(
            "{db_s}：全部检查通过（结构、完整性、外键、积分账、人员、报到汇总、日期、站点与街道、积分商城、文件）\n"
        )
    );
    #[cfg(unix)]
    for name in ["迎泽区.db", "备份 12月.db", "站点 拒收.csv"] {
        assert_eq!(d.mode(&format!("暖蜂 台账/{name}")), 0o600, "{name}");
    }
}
