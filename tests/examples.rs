const BASE: &str = "horizon: {start: 2026-11-23T06:00}\nplants: [{id: north}]\n";
#[test]
fn probe() {
    let raw = std::fs::read_to_string("tests/fixtures/bad/yaml-syntax.yaml").unwrap();
    let e = serde_yaml::from_str::<serde_yaml::Value>(&raw).unwrap_err();
    println!("RAW: {e}");
    let cases = [
        "machines: [{id: M, plant: north}]\njobs: [{id: J, operations: [{id: o, machines: []}]}]",
        "machines: [{id: M, plant: north}]\njobs: [{id: J, operations: [{id: o, machines: {M: 60}, pinned: {machine: M, start: 30}}], release: 100}]",
        "calendars: [{id: c, weekly: [{days: [mon], from: 06:00, to: 22:00}]}]\nmachines: [{id: M, plant: north, calendar: c}]\njobs: [{id: J, operations: [{id: o, machines: {M: 60}, pinned: {machine: M, start: 1000}}]}]",
        "machines: [{id: M, plant: north}]\njobs: [{id: J, release: -100, operations: [{id: o, machines: {M: -30m}}]}]",
        "machines: [{id: M, plant: north}]\njobs: []",
        "machines: [{id: M, plant: north}]\njobs: [{id: J, deadline: 0, operations: [{id: o, machines: {M: 60}}]}]",
        "families: [a, b]\nchangeovers: [{id: x, matrix: {a: {b: 1}, a: {b: 2}}}]\nmachines: [{id: M, plant: north}]\njobs: [{id: J, operations: [{id: o, machines: {M: 60}}]}]",
        "calendars: [{id: c, weekly: [{days: [mon, funday], from: '06:00', to: '25:00'}]}]\nmachines: [{id: M, plant: north, calendar: c}]\njobs: [{id: J, operations: [{id: o, machines: {M: 60}}]}]",
        "calendars: [{id: c, weekly: [{days: [mon, funday], from: '06:00', to: '22:00'}]}]\nmachines: [{id: M, plant: north, calendar: c}]\njobs: [{id: J, operations: [{id: o, machines: {M: 60}}]}]",
        "machines: [{id: M, plant: north}]\njobs: [{id: J, operations: [{id: o, machines: {M: 60, M: 30}}]}]",
        "machines: [{id: M, plant: north}]\njobs: [{id: J, operations: [{id: o, machines: {M: 1h30}}]}]",
        "machines: [{id: M, plant: north}]\njobs: [{id: J, operations: [{id: o, machines: {M: 60}, atomic: yes}]}]",
        "machines: [{id: M, plant: north, initial_family: x}]\njobs: [{id: J, operations: [{id: o, machines: {M: 60}, pinned: {machine: M, start: -10}}]}]",
        "machines: [{id: M, plant: north}]\njobs: [{id: J, operations: [{id: o, machines: {M: 60}}, {id: o, machines: {M: 60}}]}]",
        "machines: [{id: M, plant: north}]\njobs:\n  - id: J\n    operations:\n      - {id: o, machines: {M: 60}\n",
        "machines: [{id: M, plant: north}]\njobs:\n  - id: J\n    operations:\n      - id: o\n         machines: {M: 60}\n",
    ];
    for c in cases {
        let text = format!("{BASE}{c}");
        match takt::model::parse_instance(&text, "x.yaml") {
            Ok(_) => println!("OK  {c}"),
            Err(e) => println!("ERR {c}\n{e}"),
        }
    }
}
