//! The README documents every rule the tool can report: its code, default severity, title and
//! an example message, exactly as the catalogue (`base::issue`) has them.

use jixiao::base::issue::{Rule, Severity};

#[test]
fn readme_lists_every_rule_with_its_severity() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for rule in Rule::ALL {
        let severity = match rule.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        let row = format!(
            "| `{}` | {} | {} | {} |",
            rule.code(),
            severity,
            rule.title(),
            rule.example()
        );
        assert!(
            readme.contains(&row),
            "README's rules table lacks the row starting {row}"
        );
    }
}
