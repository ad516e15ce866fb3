//! Masked everywhere unless `--show-pii`: every list, report and error on the district.

use crate::util::{DISTRICT_WORKERS, District, district_secrets, find};

#[test]
fn default_outputs_mask_every_id_and_phone() {
    let d = District::new().without_init().checkins().points().build();
    let secrets = district_secrets();
    for format in ["table", "csv", "json", "md"] {
        for args in [
            vec!["worker", "list", "--format", format],
            vec!["checkin", "list", "--format", format],
            vec!["points", "balance", "--format", format],
            vec![
                "report", "streets", "--month", "2025-07", "--format", format,
            ],
        ] {
            d.nf(&args).ok().hides(&secrets);
        }
    }
    let w = d
        .nf(&["worker", "list", "--format", "json"])
        .ok()
        .json_array();
    let guo = find(&w, "name", "郭志伟");
    assert_eq!(guo["phone"], "136****7804");
    assert_eq!(guo["id_number"], "140106********6010");
    let table = d.nf(&["worker", "list"]).ok();
    table.stdout_has(&["136****7804", "140106********6010", "郭志伟"]);
    assert_eq!(table.stderr, "共 8 人\n");
}

#[test]
fn show_pii_shows_full_numbers() {
    let d = District::new().without_init().checkins().points().build();
    for format in ["table", "csv", "json", "md"] {
        let o = d
            .nf(&["worker", "list", "--show-pii", "--format", format])
            .ok();
        for (name, phone, id) in DISTRICT_WORKERS {
            o.stdout_has(&[name, phone, id]);
        }
    }
    let c = d
        .nf(&["checkin", "list", "--show-pii", "--format", "csv"])
        .ok();
    c.stdout_has(&["13623517804", "18834071935"]);
    let b = d.nf(&["points", "balance", "--show-pii"]).ok();
    b.stdout_has(&["13623517804", "13303456198"]);
}

#[test]
fn errors_mask_every_id_and_phone() {
    let d = District::new().without_init().checkins().points().build();
    // Unknown numbers typed at the terminal.
    d.nf(&["checkin", "add", "13912345678", "--date", "2025-07-02"])
        .code(1)
        .stderr_has(&["WORKER: 139****5678: 没有这个手机号的从业人员"])
        .hides(&["13912345678"]);
    d.nf(&["points", "balance", "13912345678"])
        .code(1)
        .stderr_has(&["没有手机号为 139****5678 的从业人员"])
        .hides(&["13912345678"]);
    d.nf(&[
        "points",
        "earn",
        "140106199001011234",
        "5",
        "--date",
        "2025-07-02",
    ])
    .code(1)
    .stderr_has(&["WORKER: 140106********1234: 没有这个身份证号的从业人员"])
    .hides(&["140106199001011234"]);
    // A register row whose phone and ID belong to two different workers names both, masked.
    d.write(
        "clash.csv",
        "姓名,手机号,身份证号,从业类型,所属街道\n李浩,15903514426,140106198503126010,外卖员,柳巷街道\n",
    );
    d.nf(&["import", "workers", "clash.csv"])
        .code(1)
        .stderr_has(&[
            "clash.csv:第2行: 手机号(B): 159****4426: 属于 李浩，而身份证号 140106********6010 属于 郭志伟，是两个不同的从业人员 — 请更正这一行",
        ])
        .hides(&district_secrets());
    // A check-in naming a known worker by another name names both names.
    d.write(
        "misnamed.csv",
        "姓名,手机号,报到日期\n郭志强,13623517804,2025-07-02\n",
    );
    d.nf(&["import", "checkins", "misnamed.csv"])
        .code(1)
        .stderr_has(&[
            "misnamed.csv:第2行: 姓名(A): 郭志强: 这个手机号登记的姓名是 郭志伟 — 请更正姓名或号码",
        ])
        .hides(&district_secrets());
}
