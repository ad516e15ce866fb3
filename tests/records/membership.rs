//! Party membership: 组织关系 registered with one of our party organizations or elsewhere (a
//! mobile member, 流动党员), the organization a member takes part in, and the membership
//! pipeline (入党程序) with the as-of-date counts the reports use.

use nuanfeng::internals::db::{StageCounts, admitted, stage_counts};

use crate::util::{self, Dir, membership_district};

fn memberships(d: &Dir) -> Vec<Vec<Option<String>>> {
    d.rows(
        "SELECT w.name, o.name, m.home_org FROM memberships m
         JOIN workers w ON w.id = m.worker_id LEFT JOIN party_orgs o ON o.id = m.org_id
         ORDER BY w.id",
    )
}

fn row(values: &[Option<&str>]) -> Vec<Option<String>> {
    values.iter().map(|v| v.map(str::to_string)).collect()
}

/// The change log of one worker (by name), as (field, old, new, command).
fn log(d: &Dir, name: &str) -> Vec<Vec<Option<String>>> {
    d.rows(&format!(
        "SELECT c.field, c.old, c.new, c.command FROM change_log c
         JOIN workers w ON c.entity = 'worker' AND c.entity_id = CAST(w.id AS TEXT)
         WHERE w.name = '{name}' ORDER BY c.id"
    ))
}

fn stage(d: &Dir, worker: &str, to: &str, date: &str) -> util::Output {
    d.nf(&["worker", "stage", worker, "--to", to, "--date", date])
        .run()
}

#[test]
fn import_registers_memberships_ours_and_elsewhere() {
    let d = membership_district();
    assert_eq!(
        memberships(&d),
        vec![
            row(&[Some("郭志伟"), Some("顺丰速运柳巷营业部党支部"), None]),
            row(&[
                Some("张敏"),
                Some("迎泽区快递物流行业党委"),
                Some("山西省临汾市尧都区贾得乡党委")
            ]),
            row(&[Some("赵海峰"), None, Some("山西省晋中市榆次区郭家堡乡党委")]),
        ]
    );
    let zhang = d
        .nf(&["worker", "show", "18636021759", "--format", "json"])
        .ok()
        .json();
    assert_eq!(
        zhang["membership"],
        serde_json::json!({
            "registered": "山西省临汾市尧都区贾得乡党委",
            "mobile": true,
            "attached": "迎泽区快递物流行业党委"
        })
    );
    let guo = d.nf(&["worker", "show", "13623517804"]).ok();
    guo.stdout_has(&[
        "| 组织关系     顺丰速运柳巷营业部党支部 |",
        "| 流动党员     否                       |",
        "| 所在党组织   顺丰速运柳巷营业部党支部 |",
    ]);

    // The same file again changes nothing.
    d.nf(&["import", "workers", "workers.csv"])
        .ok()
        .stderr_has(&["共 6 行：新增 0，更新 0，未变 6"]);

    // A blank cell keeps the membership; a new one is logged.
    d.write(
        "moved.csv",
        "姓名,手机号,从业类型,所属街道,组织关系所在党组织,流入党组织\n\
         郭志伟,13623517804,快递员,柳巷街道,山西省太原市小店区坞城街道党工委,迎泽区快递物流行业党委\n\
         张敏,18636021759,外卖员,柳巷街道,,\n",
    );
    d.nf(&["import", "workers", "moved.csv"])
        .ok()
        .stderr_has(&["共 2 行：新增 0，更新 1，未变 1"]);
    assert_eq!(
        memberships(&d)[0],
        row(&[
            Some("郭志伟"),
            Some("迎泽区快递物流行业党委"),
            Some("山西省太原市小店区坞城街道党工委")
        ])
    );
    assert_eq!(
        log(&d, "郭志伟")[1..],
        [
            row(&[
                Some("membership_org"),
                Some("顺丰速运柳巷营业部党支部"),
                Some("山西省太原市小店区坞城街道党工委"),
                Some("import workers")
            ]),
            row(&[
                Some("attached_org"),
                Some("顺丰速运柳巷营业部党支部"),
                Some("迎泽区快递物流行业党委"),
                Some("import workers")
            ]),
        ]
    );
}

#[test]
fn import_refuses_unknown_organizations_and_memberships_of_non_members() {
    let d = membership_district();
    d.copy("membership/workers-bad.csv");
    let o = d.nf(&["import", "workers", "workers-bad.csv"]).code(1);
    assert_eq!(
        o.stderr,
        "workers-bad.csv: 按 UTF-8 读取\n\
         workers-bad.csv:第2行: 参加组织生活的党组织(G): 迎泽区快递物流党委: 不是本台账登记的党组织 — \
         是不是“迎泽区快递物流行业党委”？（先用 nuanfeng import orgs 导入党组织）\n\
         workers-bad.csv:第3行: 组织关系(F): 顺丰速运柳巷营业部党支部: 只有中共党员、中共预备党员才有\
         组织关系，而这名从业人员的政治面貌是群众 — 请把这一格留空，或更正政治面貌\n\
         workers-bad.csv:第4行: 参加组织生活的党组织(G): 迎泽区快递物流行业党委: 只有中共党员、\
         中共预备党员才有组织关系，而这名从业人员的政治面貌是共青团员 — 请把这一格留空，或更正政治面貌\n\
         错误：workers-bad.csv: 共 3 行，其中 3 行有问题（见上）；什么都没有导入 — 改正后再导入，或用 \
         --skip-invalid --rejects FILE 只导入没有问题的行\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM memberships"), 3);
}

#[test]
fn worker_flags_set_the_membership() {
    let d = membership_district();
    d.nf(&[
        "worker",
        "update",
        "18834071935",
        "--membership-org",
        "顺丰速运柳巷营业部党支部",
    ])
    .ok();
    d.nf(&[
        "worker",
        "update",
        "13935187026",
        "--attached-org",
        "迎泽区快递物流行业党委",
    ])
    .ok();
    let all = memberships(&d);
    assert_eq!(
        all[2..],
        [
            row(&[
                Some("赵海峰"),
                Some("迎泽区快递物流行业党委"),
                Some("山西省晋中市榆次区郭家堡乡党委")
            ]),
            row(&[Some("陈磊"), Some("顺丰速运柳巷营业部党支部"), None]),
        ]
    );
    assert_eq!(
        log(&d, "赵海峰")[1..],
        [row(&[
            Some("attached_org"),
            None,
            Some("迎泽区快递物流行业党委"),
            Some("worker update")
        ])]
    );
    // A member registered with one of ours takes part there.
    let o = d
        .nf(&[
            "worker",
            "update",
            "18834071935",
            "--attached-org",
            "迎泽区快递物流行业党委",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：--attached-org: 迎泽区快递物流行业党委: 组织关系已在本台账的 顺丰速运柳巷营业部党支部，党员就在那里参加活动 — 请把所在党组织留空，或在组织关系一栏转移组织关系\n"
    );
    let o = d
        .nf(&[
            "worker",
            "add",
            "--name",
            "王磊",
            "--phone",
            "13623518847",
            "--occupation",
            "骑手",
            "--street",
            "柳巷",
            "--membership-org",
            "山西省临汾市尧都区贾得乡党委",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：--membership-org: 山西省临汾市尧都区贾得乡党委: 只有中共党员、中共预备党员才有组织关系，而这名从业人员的政治面貌没有填写 — 请把这一格留空，或更正政治面貌\n"
    );
    d.nf(&[
        "worker",
        "add",
        "--name",
        "王磊",
        "--phone",
        "13623518847",
        "--occupation",
        "骑手",
        "--street",
        "柳巷",
        "--political-status",
        "党员",
        "--membership-org",
        "山西省临汾市尧都区贾得乡党委",
    ])
    .ok();
    assert_eq!(
        memberships(&d)[4],
        row(&[Some("王磊"), None, Some("山西省临汾市尧都区贾得乡党委")])
    );
}

#[test]
fn the_pipeline_lands_in_order_and_sets_political_status() {
    let d = membership_district();
    let steps = [
        (
            "入党申请人",
            "2024-03-01",
            "李浩：2024-03-01 成为入党申请人\n",
        ),
        (
            "积极分子",
            "2024-09-01",
            "李浩：2024-09-01 成为入党积极分子，此前自 2024-03-01 起是入党申请人\n",
        ),
        (
            "candidate",
            "2025-03-01",
            "李浩：2025-03-01 成为发展对象，此前自 2024-09-01 起是入党积极分子\n",
        ),
        (
            "预备党员",
            "2025-07-10",
            "李浩：2025-07-10 成为预备党员，此前自 2025-03-01 起是发展对象；政治面貌 群众 → 中共预备党员\n",
        ),
    ];
    for (to, date, said) in steps {
        let o = stage(&d, "15903514426", to, date);
        assert_eq!((o.code, o.stderr.as_str()), (Some(0), said));
    }
    assert_eq!(
        d.rows("SELECT political_status FROM workers WHERE name = '李浩'"),
        [row(&[Some("probationary_member")])]
    );
    assert_eq!(
        log(&d, "李浩")[1..],
        [row(&[
            Some("political_status"),
            Some("masses"),
            Some("probationary_member"),
            Some("worker stage")
        ])]
    );
    assert_eq!(
        d.rows("SELECT stage, date FROM worker_stages ORDER BY id"),
        [
            row(&[Some("applicant"), Some("2024-03-01")]),
            row(&[Some("activist"), Some("2024-09-01")]),
            row(&[Some("candidate"), Some("2025-03-01")]),
            row(&[Some("probationary"), Some("2025-07-10")]),
        ]
    );
    // An instructor by name; the list of the pipeline.
    d.nf(&[
        "worker",
        "stage",
        "17735240683",
        "--to",
        "applicant",
        "--date",
        "2025-05-20",
        "--instructor",
        "李建国",
    ])
    .ok()
    .stderr_has(&["王宇：2025-05-20 成为入党申请人（指导员 李建国）\n"]);
    let list = d.nf(&["worker", "stages", "--format", "json"]).ok().json();
    assert_eq!(
        list,
        serde_json::json!([
            {"name": "李浩", "phone": "159****4426", "street": "柳巷街道", "stage": "probationary",
             "since": "2025-07-10", "applied_on": "2024-03-01", "instructor": null},
            {"name": "王宇", "phone": "177****0683", "street": "文庙街道", "stage": "applicant",
             "since": "2025-05-20", "applied_on": "2025-05-20", "instructor": "李建国"},
        ])
    );
    let only = d
        .nf(&[
            "worker",
            "stages",
            "--stage",
            "入党申请人",
            "--format",
            "json",
        ])
        .ok()
        .json_array();
    assert_eq!(only.len(), 1);
    assert_eq!(only[0]["name"], "王宇");
}

#[test]
fn a_skipped_or_backdated_stage_is_refused() {
    let d = membership_district();
    stage(&d, "15903514426", "入党申请人", "2025-03-01");
    stage(&d, "15903514426", "入党积极分子", "2025-04-01");
    let o = stage(&d, "15903514426", "预备党员", "2025-05-01");
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (
            Some(1),
            "错误：李浩 自 2025-04-01 起是入党积极分子：下一个阶段是发展对象（日期在 2025-04-01 或之后），不是预备党员\n"
        )
    );
    let o = stage(&d, "15903514426", "发展对象", "2025-03-31");
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (
            Some(1),
            "错误：李浩 自 2025-04-01 起是入党积极分子：发展对象的日期应在 2025-04-01 或之后，不能是 2025-03-31\n"
        )
    );
    let o = stage(&d, "17735240683", "发展对象", "2025-03-31");
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (
            Some(1),
            "错误：王宇 还没有任何入党阶段：第一个阶段是入党申请人，不是发展对象\n"
        )
    );
    let o = stage(&d, "13623517804", "入党申请人", "2025-03-31");
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (
            Some(1),
            "错误：郭志伟 已经是党员（台账上是中共党员），入党程序只适用于非党员 — 如果台账有误，用 nuanfeng worker update 更正政治面貌\n"
        )
    );
    let o = stage(&d, "17735240683", "入党申请人", "2099-01-01");
    assert_eq!(o.code, Some(1));
    assert!(
        o.stderr
            .starts_with("错误：--date: 2099-01-01: 是将来的日期（2099-01-01 晚于今天 "),
        "{}",
        o.stderr
    );
    let o = stage(&d, "17735240683", "党员", "2025-03-31");
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (
            Some(2),
            "错误：--to 党员：不是入党程序的阶段 — 可填：入党申请人、入党积极分子、发展对象、预备党员、正式党员\n"
        )
    );
    assert_eq!(d.int("SELECT count(*) FROM worker_stages"), 2);
}

#[test]
fn a_new_probationary_member_counts_from_the_day_of_admission() {
    let d = membership_district();
    for (to, date) in [
        ("入党申请人", "2024-03-01"),
        ("入党积极分子", "2024-09-01"),
        ("发展对象", "2025-03-01"),
        ("预备党员", "2025-07-10"),
    ] {
        assert_eq!(stage(&d, "15903514426", to, date).code, Some(0));
    }
    let conn = d.conn();
    // 郭志伟, 赵海峰 and 陈磊 are 中共党员 by the register, 张敏 中共预备党员; 张敏 and 赵海峰 are
    // registered elsewhere.
    assert_eq!(
        stage_counts(&conn, None, "2025-06-30").unwrap(),
        StageCounts {
            full_members: 3,
            probationary: 1,
            mobile_members: 2,
            applicants: 0,
            activists: 0,
            candidates: 1,
        }
    );
    assert_eq!(
        stage_counts(&conn, None, "2025-07-31").unwrap(),
        StageCounts {
            full_members: 3,
            probationary: 2,
            mobile_members: 2,
            applicants: 0,
            activists: 0,
            candidates: 0,
        }
    );
    assert_eq!(
        admitted(&conn, None, "2025-07-01", "2025-07-31").unwrap(),
        1
    );
    assert_eq!(
        admitted(&conn, None, "2025-01-01", "2025-06-30").unwrap(),
        0
    );
    // And in the worker's history.
    d.nf(&["worker", "show", "15903514426"]).ok().stdout_has(&[
        "| 政治面貌   中共预备党员       |",
        "| 预备党员       2025-07-10   -  ",
    ]);
}

#[test]
fn an_organization_of_ours_written_another_way_is_ours_and_a_near_miss_is_refused() {
    let d = membership_district();
    // 郭志伟 (中共党员): the branch as its full committee name is the same branch.
    d.nf(&[
        "worker",
        "update",
        "13623517804",
        "--membership-org",
        "中共顺丰速运柳巷营业部支部委员会",
    ])
    .ok();
    assert_eq!(
        d.rows(
            "SELECT o.name, m.home_org FROM memberships m JOIN workers w ON w.id = m.worker_id
             LEFT JOIN party_orgs o ON o.id = m.org_id WHERE w.name = '郭志伟'"
        ),
        [row(&[Some("顺丰速运柳巷营业部党支部"), None])]
    );
    // A misspelling of ours would make a 流动党员 of him: refused with the name meant.
    let o = d
        .nf(&[
            "worker",
            "update",
            "13623517804",
            "--membership-org",
            "顺丰速运柳巷营业党支部",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：--membership-org: 顺丰速运柳巷营业党支部: 不是本台账登记的党组织 — 是不是“顺丰速运柳巷营业部党支部”？（外地的党组织请写全称，带上地名）\n"
    );
}

#[test]
fn a_probationary_member_by_the_register_becomes_a_full_member_and_leavers_take_no_stage() {
    let d = membership_district();
    // 张敏 is 中共预备党员 by the register; 转正 on 2025-07-10.
    stage(&d, "18636021759", "正式党员", "2025-07-10");
    let total = |month: &str| {
        let r = d
            .nf(&["report", "coverage", "--month", month, "--format", "json"])
            .ok()
            .json();
        (
            r["total"]["full_members"].as_i64().unwrap(),
            r["total"]["probationary_members"].as_i64().unwrap(),
        )
    };
    let (june_full, june_prob) = total("2025-06");
    let (july_full, july_prob) = total("2025-07");
    // Probationary until the 10th of July, full from then on.
    assert_eq!((july_full, july_prob), (june_full + 1, june_prob - 1));
    // A stage after the 离职日期 is refused.
    d.nf(&["worker", "leave", "17735240683", "--date", "2025-06-30"])
        .ok();
    let o = stage(&d, "17735240683", "入党申请人", "2025-07-01");
    assert_eq!(o.code, Some(1));
    assert_eq!(
        o.stderr,
        "错误：王宇 已于 2025-06-30 离职（离职日期），日期为 2025-07-01 的入党阶段在这之后 — 请更正日期；如果此人已回来工作：nuanfeng worker rejoin 号码\n"
    );
}
