//! Amount cells: numbers as Excel shows them, or text such as "4,671.23", "１，３２９．４２",
//! "-" for none. Converted to the form's money unit exactly, as `Decimal`.

use std::str::FromStr;

use rust_decimal::Decimal;

use crate::base::form::Form;
use crate::base::model::Amount;
use crate::base::text::{float_as_shown, fold_width};
use crate::read::grid::Cell;

/// Parses amount text in the submission's money unit; `Ok(None)` for "nothing" ("", "-", "—").
///
/// # Errors
/// The text is not a number; the error is the text as written, for the issue message.
pub fn parse_amount_text(text: &str) -> Result<Option<Decimal>, String> {
    let folded = fold_width(text);
    let t = folded.trim();
    if t.is_empty() || matches!(t, "-" | "—" | "——" | "--" | "/" | "无") {
        return Ok(None);
    }
    let (negative, body) = match t.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
        Some(inner) => (true, inner.trim()),
        None => (false, t),
    };
    let cleaned: String = body.chars().filter(|c| *c != ',' && *c != ' ').collect();
    let valid_shape = !cleaned.is_empty()
        && cleaned
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'));
    if !valid_shape {
        return Err(text.trim().to_string());
    }
    let value = Decimal::from_str(&cleaned).map_err(|_| text.trim().to_string())?;
    Ok(Some(if negative { -value } else { value }))
}

/// Reads an amount cell and converts it to the form's unit by dividing by `divisor`
/// (10000 for 元 → 万元). Text that names its own money unit ("370.50万元") is converted by that
/// unit instead.
pub fn parse_amount(cell: &Cell, divisor: Decimal, form: &Form) -> Amount {
    let mut divisor = divisor;
    let value = match cell {
        Cell::Empty => return Amount::Blank,
        Cell::Number(n) => match float_as_shown(*n) {
            Some(d) => d,
            None => return Amount::Bad(n.to_string()),
        },
        Cell::Text(s) => {
            let (number, unit) = split_money_unit(s, form);
            if let Some(unit) = unit {
                divisor = unit;
            }
            match parse_amount_text(number) {
                Ok(Some(d)) => d,
                Ok(None) => return Amount::Blank,
                Err(_) => return Amount::Bad(s.trim().to_string()),
            }
        }
        Cell::Bool(_) | Cell::Date(_) | Cell::Error(_) => return Amount::Bad(cell.display()),
    };
    if divisor == Decimal::ONE {
        Amount::Value(value)
    } else {
        match value.checked_div(divisor) {
            Some(d) => Amount::Value(d.normalize()),
            None => Amount::Bad(cell.display()),
        }
    }
}

/// Splits a trailing money unit off amount text ("370.50万元" → "370.50", divisor of 万元). The
/// longest unit name wins, so that 万元 is not read as 元.
fn split_money_unit<'a>(text: &'a str, form: &Form) -> (&'a str, Option<Decimal>) {
    let trimmed = text.trim();
    form.money_units
        .iter()
        .filter(|u| trimmed.ends_with(u.name.as_str()))
        .max_by_key(|u| u.name.len())
        .map_or((trimmed, None), |u| {
            (&trimmed[..trimmed.len() - u.name.len()], Some(u.divisor))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn text_amounts() {
        assert_eq!(parse_amount_text("4,671.23"), Ok(Some(dec("4671.23"))));
        assert_eq!(parse_amount_text(" 370.50 "), Ok(Some(dec("370.50"))));
        assert_eq!(
            parse_amount_text("１，３２９．４２"),
            Ok(Some(dec("1329.42")))
        );
        assert_eq!(parse_amount_text("(12.5)"), Ok(Some(dec("-12.5"))));
        assert_eq!(parse_amount_text("-3"), Ok(Some(dec("-3"))));
        assert_eq!(parse_amount_text(""), Ok(None));
        assert_eq!(parse_amount_text("-"), Ok(None));
        assert_eq!(parse_amount_text("—"), Ok(None));
        assert_eq!(parse_amount_text("待定"), Err("待定".to_string()));
        assert_eq!(parse_amount_text("12a"), Err("12a".to_string()));
        assert_eq!(parse_amount_text("1.2.3"), Err("1.2.3".to_string()));
    }

    #[test]
    fn cells_convert_to_wan_yuan() {
        let form = Form::default_form();
        let parse_amount = |cell: &Cell, divisor| super::parse_amount(cell, divisor, &form);
        let yuan = Decimal::from(10000);
        assert_eq!(
            parse_amount(&Cell::Number(3_705_000.0), yuan),
            Amount::Value(dec("370.5"))
        );
        assert_eq!(
            parse_amount(&Cell::Text("1,234.56".into()), Decimal::from(10)),
            Amount::Value(dec("123.456"))
        );
        assert_eq!(parse_amount(&Cell::Empty, yuan), Amount::Blank);
        assert_eq!(
            parse_amount(&Cell::Error("#REF!".into()), Decimal::ONE),
            Amount::Bad("#REF!".into())
        );
        // A unit in the cell wins over the sheet's.
        assert_eq!(
            parse_amount(&Cell::Text("370.50万元".into()), yuan),
            Amount::Value(dec("370.5"))
        );
        assert_eq!(
            parse_amount(&Cell::Text("3,705,000元".into()), Decimal::ONE),
            Amount::Value(dec("370.5"))
        );
        assert_eq!(
            parse_amount(&Cell::Text("约370万元".into()), Decimal::ONE),
            Amount::Bad("约370万元".into())
        );
    }
}
