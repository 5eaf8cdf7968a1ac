//! Formulas without cached values. Workbooks written by scripts (openpyxl, pandas) store
//! formulas and no result; read as they are, such cells would be blank and count as zero. The
//! formulas a submission holds are simple (SUM over ranges, + − × ÷ of cells and numbers, ROUND,
//! IF, COUNT), so they are evaluated here from the sheet's own cells, in `Decimal` so that money
//! stays exact. A formula this evaluator does not cover (another sheet, a function it does not
//! know, a cycle) is not guessed: the caller reports it and never reads the cell as 0.
//!
//! Why not a formula-engine crate: `xlformula_engine` (0.1.18, the maintained one that parses
//! Excel syntax) computes in `f32`, seven significant digits, which cannot hold money exactly,
//! and has no ROUND or COUNT; a spreadsheet engine such as IronCalc would load a whole workbook
//! model to compute a handful of cells.

use std::collections::HashMap;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::base::text::float_as_shown;
use crate::read::grid::Cell;

/// Formulas nested deeper than this (through references) are not evaluated.
const MAX_DEPTH: usize = 64;
/// Cells a range may span.
const MAX_RANGE_CELLS: u64 = 100_000;

/// A value during evaluation.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Number(Decimal),
    Text(String),
    Bool(bool),
    Empty,
}

/// Why a formula was not evaluated (Chinese, for the issue message).
pub type Unsupported = String;

/// The cells of one sheet, and the formulas without a value, by (row, column), 0-based.
pub struct SheetFormulas<'a> {
    pub rows: &'a [Vec<Cell>],
    pub pending: &'a HashMap<(u32, u32), String>,
}

impl SheetFormulas<'_> {
    /// Evaluates the formula of a pending cell.
    ///
    /// # Errors
    /// The formula uses what this evaluator does not cover; the reason, in Chinese.
    pub fn evaluate(&self, at: (u32, u32)) -> Result<Cell, Unsupported> {
        let mut visiting = Vec::new();
        let value = self.value_of_formula(at, &mut visiting)?;
        Ok(match value {
            Value::Number(d) => Cell::Number(d.to_f64().unwrap_or(0.0)),
            Value::Text(t) if t.is_empty() => Cell::Empty,
            Value::Text(t) => Cell::Text(t.into()),
            Value::Bool(b) => Cell::Bool(b),
            Value::Empty => Cell::Empty,
        })
    }

    fn value_of_formula(
        &self,
        at: (u32, u32),
        visiting: &mut Vec<(u32, u32)>,
    ) -> Result<Value, Unsupported> {
        if visiting.contains(&at) {
            return Err("公式循环引用".to_string());
        }
        if visiting.len() >= MAX_DEPTH {
            return Err("公式引用层数过深".to_string());
        }
        let Some(formula) = self.pending.get(&at) else {
            return Ok(Value::Empty);
        };
        visiting.push(at);
        let mut parser = Parser {
            chars: formula.trim_start_matches('=').chars().collect(),
            at: 0,
            sheet: self,
            visiting,
        };
        let value = parser.expr()?;
        parser.skip_spaces();
        if parser.at < parser.chars.len() {
            return Err("公式无法解析".to_string());
        }
        visiting.pop();
        Ok(value)
    }

    /// The value of a cell: its own, or its formula's.
    fn cell(&self, at: (u32, u32), visiting: &mut Vec<(u32, u32)>) -> Result<Value, Unsupported> {
        if self.pending.contains_key(&at) {
            return self.value_of_formula(at, visiting);
        }
        let cell = self
            .rows
            .get(at.0 as usize)
            .and_then(|r| r.get(at.1 as usize))
            .unwrap_or(&Cell::Empty);
        Ok(match cell {
            Cell::Empty => Value::Empty,
            Cell::Number(n) => Value::Number(float_as_shown(*n).ok_or("数值无效")?),
            Cell::Text(t) | Cell::Date(t) => Value::Text(t.to_string()),
            Cell::Bool(b) => Value::Bool(*b),
            Cell::Error(e) => return Err(format!("引用的单元格是错误值 {e}")),
        })
    }
}

/// A recursive-descent parser that evaluates as it parses.
struct Parser<'s, 'v> {
    chars: Vec<char>,
    at: usize,
    sheet: &'s SheetFormulas<'s>,
    visiting: &'v mut Vec<(u32, u32)>,
}

/// An argument: a single value or the values of a range.
enum Arg {
    One(Value),
    Range(Vec<Value>),
}

impl Parser<'_, '_> {
    fn skip_spaces(&mut self) {
        while self.chars.get(self.at).is_some_and(|c| c.is_whitespace()) {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.skip_spaces();
        self.chars.get(self.at).copied()
    }

    fn eat(&mut self, s: &str) -> bool {
        self.skip_spaces();
        let n = s.chars().count();
        if self.chars.len() >= self.at + n
            && self.chars[self.at..self.at + n]
                .iter()
                .copied()
                .eq(s.chars())
        {
            self.at += n;
            true
        } else {
            false
        }
    }

    fn expr(&mut self) -> Result<Value, Unsupported> {
        let left = self.concat()?;
        for (op, name) in [
            ("<=", "le"),
            (">=", "ge"),
            ("<>", "ne"),
            ("<", "lt"),
            (">", "gt"),
            ("=", "eq"),
        ] {
            if self.eat(op) {
                let right = self.concat()?;
                return Ok(Value::Bool(compare(&left, &right, name)?));
            }
        }
        Ok(left)
    }

    fn concat(&mut self) -> Result<Value, Unsupported> {
        let mut left = self.additive()?;
        while self.eat("&") {
            let right = self.additive()?;
            left = Value::Text(text(&left) + &text(&right));
        }
        Ok(left)
    }

    fn additive(&mut self) -> Result<Value, Unsupported> {
        let mut left = self.term()?;
        loop {
            if self.eat("+") {
                let r = number(&self.term()?)?;
                left = Value::Number(number(&left)?.checked_add(r).ok_or("数值溢出")?);
            } else if self.eat("-") {
                let r = number(&self.term()?)?;
                left = Value::Number(number(&left)?.checked_sub(r).ok_or("数值溢出")?);
            } else {
                return Ok(left);
            }
        }
    }

    fn term(&mut self) -> Result<Value, Unsupported> {
        let mut left = self.unary()?;
        loop {
            if self.eat("*") {
                let r = number(&self.unary()?)?;
                left = Value::Number(number(&left)?.checked_mul(r).ok_or("数值溢出")?);
            } else if self.eat("/") {
                let r = number(&self.unary()?)?;
                if r.is_zero() {
                    return Err("公式除以 0（#DIV/0!）".to_string());
                }
                left = Value::Number(number(&left)?.checked_div(r).ok_or("数值溢出")?);
            } else {
                return Ok(left);
            }
        }
    }

    fn unary(&mut self) -> Result<Value, Unsupported> {
        if self.eat("-") {
            return Ok(Value::Number(-number(&self.unary()?)?));
        }
        if self.eat("+") {
            return self.unary();
        }
        let value = self.primary()?;
        if self.eat("%") {
            return Ok(Value::Number(number(&value)? / Decimal::from(100)));
        }
        Ok(value)
    }

    fn primary(&mut self) -> Result<Value, Unsupported> {
        match self.peek() {
            Some('(') => {
                self.at += 1;
                let v = self.expr()?;
                if !self.eat(")") {
                    return Err("公式括号不配对".to_string());
                }
                Ok(v)
            }
            Some('"') => {
                self.at += 1;
                let mut s = String::new();
                loop {
                    match self.chars.get(self.at) {
                        Some('"') if self.chars.get(self.at + 1) == Some(&'"') => {
                            s.push('"');
                            self.at += 2;
                        }
                        Some('"') => {
                            self.at += 1;
                            return Ok(Value::Text(s));
                        }
                        Some(c) => {
                            s.push(*c);
                            self.at += 1;
                        }
                        None => return Err("公式字符串未结束".to_string()),
                    }
                }
            }
            Some(c) if c.is_ascii_digit() || c == '.' => {
                let start = self.at;
                while self
                    .chars
                    .get(self.at)
                    .is_some_and(|c| c.is_ascii_digit() || *c == '.')
                {
                    self.at += 1;
                }
                let s: String = self.chars[start..self.at].iter().collect();
                s.parse::<Decimal>()
                    .map(Value::Number)
                    .map_err(|_| "公式中的数字无效".to_string())
            }
            Some(c) if c.is_ascii_alphabetic() || c == '$' => self.name_or_ref(),
            _ => Err("公式无法解析".to_string()),
        }
    }

    /// A function call, TRUE/FALSE, or a cell reference (a range only as a function argument).
    fn name_or_ref(&mut self) -> Result<Value, Unsupported> {
        let start = self.at;
        while self
            .chars
            .get(self.at)
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '$' | '_' | '.'))
        {
            self.at += 1;
        }
        let word: String = self.chars[start..self.at].iter().collect();
        if self.chars.get(self.at) == Some(&'!') {
            return Err("公式引用了其他工作表".to_string());
        }
        if self.peek() == Some('(') {
            self.at += 1;
            return self.call(&word.to_ascii_uppercase());
        }
        match word.to_ascii_uppercase().as_str() {
            "TRUE" => return Ok(Value::Bool(true)),
            "FALSE" => return Ok(Value::Bool(false)),
            _ => {}
        }
        let at = parse_ref(&word).ok_or_else(|| format!("公式中的名称“{word}”无法识别"))?;
        if self.peek() == Some(':') {
            return Err("区域只能作为函数参数".to_string());
        }
        self.sheet.cell(at, self.visiting)
    }

    /// One function argument: an expression, or a range A1:B3.
    fn arg(&mut self) -> Result<Arg, Unsupported> {
        let save = self.at;
        self.skip_spaces();
        let start = self.at;
        while self
            .chars
            .get(self.at)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '$')
        {
            self.at += 1;
        }
        let first: String = self.chars[start..self.at].iter().collect();
        if let (Some(a), true) = (parse_ref(&first), self.eat(":")) {
            let s2 = self.at;
            while self
                .chars
                .get(self.at)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '$')
            {
                self.at += 1;
            }
            let second: String = self.chars[s2..self.at].iter().collect();
            let b = parse_ref(&second).ok_or("区域无法识别")?;
            let (r0, r1) = (a.0.min(b.0), a.0.max(b.0));
            let (c0, c1) = (a.1.min(b.1), a.1.max(b.1));
            let n = u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1);
            if n > MAX_RANGE_CELLS {
                return Err("公式引用的区域过大".to_string());
            }
            let mut values = Vec::new();
            for r in r0..=r1 {
                for c in c0..=c1 {
                    values.push(self.sheet.cell((r, c), self.visiting)?);
                }
            }
            return Ok(Arg::Range(values));
        }
        self.at = save;
        Ok(Arg::One(self.expr()?))
    }

    fn args(&mut self) -> Result<Vec<Arg>, Unsupported> {
        let mut args = Vec::new();
        if self.eat(")") {
            return Ok(args);
        }
        loop {
            args.push(self.arg()?);
            if self.eat(")") {
                return Ok(args);
            }
            if !self.eat(",") {
                return Err("公式函数参数无法解析".to_string());
            }
        }
    }

    fn call(&mut self, name: &str) -> Result<Value, Unsupported> {
        // IF evaluates only the branch it takes.
        if name == "IF" {
            let cond = truth(&self.expr()?)?;
            let mut then = Value::Bool(true);
            let mut otherwise = Value::Bool(false);
            if self.eat(",") {
                then = self.expr()?;
                if self.eat(",") {
                    otherwise = self.expr()?;
                }
            }
            if !self.eat(")") {
                return Err("公式函数参数无法解析".to_string());
            }
            return Ok(if cond { then } else { otherwise });
        }
        let args = self.args()?;
        let numbers = |args: &[Arg]| -> Result<Vec<Decimal>, Unsupported> {
            let mut out = Vec::new();
            for a in args {
                match a {
                    // In a range, text and blanks are skipped, as Excel does.
                    Arg::Range(vs) => out.extend(vs.iter().filter_map(|v| match v {
                        Value::Number(d) => Some(*d),
                        _ => None,
                    })),
                    Arg::One(v) => out.push(number(v)?),
                }
            }
            Ok(out)
        };
        match name {
            "SUM" => Ok(Value::Number(numbers(&args)?.iter().sum())),
            "SUBTOTAL" => match args.split_first() {
                Some((Arg::One(Value::Number(f)), rest))
                    if *f == Decimal::from(9) || *f == Decimal::from(109) =>
                {
                    Ok(Value::Number(numbers(rest)?.iter().sum()))
                }
                _ => Err("SUBTOTAL 只支持求和（9）".to_string()),
            },
            "COUNT" => {
                let n = args
                    .iter()
                    .map(|a| match a {
                        Arg::Range(vs) => {
                            vs.iter().filter(|v| matches!(v, Value::Number(_))).count()
                        }
                        Arg::One(v) => usize::from(matches!(v, Value::Number(_))),
                    })
                    .sum::<usize>();
                Ok(Value::Number(Decimal::from(n)))
            }
            "MIN" | "MAX" => {
                let ns = numbers(&args)?;
                let v = if name == "MIN" {
                    ns.iter().min().copied()
                } else {
                    ns.iter().max().copied()
                };
                Ok(Value::Number(v.unwrap_or(Decimal::ZERO)))
            }
            "ABS" => match args.as_slice() {
                [Arg::One(v)] => Ok(Value::Number(number(v)?.abs())),
                _ => Err("ABS 参数个数不对".to_string()),
            },
            "ROUND" => match args.as_slice() {
                [Arg::One(v), Arg::One(d)] => {
                    let digits = number(d)?.to_u32().ok_or("ROUND 位数无效")?;
                    Ok(Value::Number(number(v)?.round_dp_with_strategy(
                        digits,
                        RoundingStrategy::MidpointAwayFromZero,
                    )))
                }
                _ => Err("ROUND 参数个数不对".to_string()),
            },
            other => Err(format!("不支持的函数 {other}")),
        }
    }
}

/// "B12", "$B$12" → (11, 1), 0-based; letters of either case, the row as `u32::from_str`
/// reads it. Read byte by byte, without a copy: every merged region of a sheet is two
/// references.
pub(crate) fn parse_ref(word: &str) -> Option<(u32, u32)> {
    let mut bytes = word.bytes().filter(|&b| b != b'$').peekable();
    let (mut col, mut letters) = (0u32, 0);
    while let Some(b) = bytes.next_if(u8::is_ascii_alphabetic) {
        letters += 1;
        if letters > 3 {
            return None;
        }
        col = col * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1);
    }
    if letters == 0 {
        return None;
    }
    bytes.next_if_eq(&b'+');
    let (mut row, mut digits) = (0u32, 0);
    for b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        row = row.checked_mul(10)?.checked_add(u32::from(b - b'0'))?;
        digits += 1;
    }
    let row_ok = digits > 0 && (1..=1_048_576).contains(&row);
    (row_ok && col <= 16_384).then(|| (row - 1, col - 1))
}

fn number(v: &Value) -> Result<Decimal, Unsupported> {
    match v {
        Value::Number(d) => Ok(*d),
        Value::Empty => Ok(Decimal::ZERO),
        Value::Bool(b) => Ok(Decimal::from(u8::from(*b))),
        Value::Text(t) if t.trim().is_empty() => Ok(Decimal::ZERO),
        Value::Text(t) => t
            .trim()
            .replace(',', "")
            .parse()
            .map_err(|_| format!("公式对文字“{t}”做算术（#VALUE!）")),
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::Number(d) => d.normalize().to_string(),
        Value::Text(t) => t.clone(),
        Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Value::Empty => String::new(),
    }
}

fn truth(v: &Value) -> Result<bool, Unsupported> {
    match v {
        Value::Bool(b) => Ok(*b),
        other => Ok(!number(other)?.is_zero()),
    }
}

fn compare(a: &Value, b: &Value, op: &str) -> Result<bool, Unsupported> {
    let ordering = match (a, b) {
        (Value::Text(x), Value::Text(y)) => x.cmp(y),
        (Value::Text(x), Value::Empty) | (Value::Empty, Value::Text(x)) if x.is_empty() => {
            std::cmp::Ordering::Equal
        }
        _ => number(a)?.cmp(&number(b)?),
    };
    Ok(match op {
        "eq" => ordering.is_eq(),
        "ne" => !ordering.is_eq(),
        "lt" => ordering.is_lt(),
        "gt" => ordering.is_gt(),
        "le" => ordering.is_le(),
        _ => ordering.is_ge(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    type Pending = HashMap<(u32, u32), String>;

    fn sheet(rows: Vec<Vec<Cell>>, formulas: &[((u32, u32), &str)]) -> (Vec<Vec<Cell>>, Pending) {
        let pending = formulas
            .iter()
            .map(|(at, f)| (*at, f.to_string()))
            .collect();
        (rows, pending)
    }

    fn eval(
        rows: &[Vec<Cell>],
        pending: &HashMap<(u32, u32), String>,
        at: (u32, u32),
    ) -> Result<Cell, Unsupported> {
        SheetFormulas { rows, pending }.evaluate(at)
    }

    #[test]
    fn sums_and_arithmetic_stay_exact() {
        let n = Cell::Number;
        let (rows, pending) = sheet(
            vec![vec![
                Cell::Empty,
                n(1356.75),
                n(46.5),
                Cell::Empty,
                Cell::Text("注".into()),
            ]],
            &[
                ((0, 0), "SUM(B1:E1)"),
                ((1, 0), "B1+C1*2-0.25"),
                ((2, 0), "ROUND(A1/3,2)"),
            ],
        );
        assert_eq!(eval(&rows, &pending, (0, 0)), Ok(n(1403.25)));
        assert_eq!(eval(&rows, &pending, (1, 0)), Ok(n(1449.5)));
        // A formula over another formula's cell.
        assert_eq!(eval(&rows, &pending, (2, 0)), Ok(n(467.75)));
    }

    #[test]
    fn the_templates_total_formula() {
        // =IF(COUNT(C5:F5)=0,"",SUM(C5:F5)), as `jixiao template` writes 总计.
        let n = Cell::Number;
        let f = "IF(COUNT(C5:F5)=0,\"\",SUM(C5:F5))";
        let mut rows = vec![Vec::new(); 5];
        rows[4] = vec![
            Cell::Empty,
            Cell::Empty,
            n(100.0),
            n(20.5),
            Cell::Empty,
            n(0.25),
        ];
        let blank_row = "IF(COUNT(C6:F6)=0,\"\",SUM(C6:F6))";
        let (rows, pending) = sheet(rows, &[((4, 1), f), ((5, 1), blank_row)]);
        assert_eq!(eval(&rows, &pending, (4, 1)), Ok(n(120.75)));
        // A blank row gives a blank total, not 0.
        assert_eq!(eval(&rows, &pending, (5, 1)), Ok(Cell::Empty));
    }

    #[test]
    fn what_is_not_covered_is_said() {
        let (rows, pending) = sheet(
            vec![vec![Cell::Text("待定".into())]],
            &[
                ((1, 0), "Sheet2!A1+1"),
                ((2, 0), "VLOOKUP(A1,B1:C3,2)"),
                ((3, 0), "A4+1"),
                ((4, 0), "A1*2"),
                ((5, 0), "1/0"),
            ],
        );
        for (at, why) in [
            ((1, 0), "其他工作表"),
            ((2, 0), "VLOOKUP"),
            ((3, 0), "循环"),
            ((4, 0), "待定"),
            ((5, 0), "DIV/0"),
        ] {
            let err = eval(&rows, &pending, at).unwrap_err();
            assert!(err.contains(why), "{at:?}: {err}");
        }
    }

    #[test]
    fn references_parse_like_excel() {
        assert_eq!(parse_ref("B12"), Some((11, 1)));
        assert_eq!(parse_ref("$AA$1"), Some((0, 26)));
        assert_eq!(parse_ref("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(parse_ref("SUM"), None);
        assert_eq!(parse_ref("A0"), None);
        assert_eq!(parse_ref("b$3"), Some((2, 1)));
        assert_eq!(parse_ref("A+5"), Some((4, 0)));
        assert_eq!(parse_ref("AAAA1"), None);
        assert_eq!(parse_ref("A99999999999"), None);
    }

    /// The reference as it was read before, through an upper-cased copy and `str::parse`.
    fn parse_ref_by_copy(word: &str) -> Option<(u32, u32)> {
        let w = word.replace('$', "").to_ascii_uppercase();
        let letters = w.chars().take_while(|c| c.is_ascii_uppercase()).count();
        if letters == 0 || letters > 3 || letters == w.len() {
            return None;
        }
        let (col, row) = w.split_at(letters);
        let row: u32 = row.parse().ok().filter(|r| (1..=1_048_576).contains(r))?;
        let col = col
            .chars()
            .fold(0u32, |n, c| n * 26 + (c as u32 - 'A' as u32 + 1));
        (col <= 16_384).then_some((row - 1, col - 1))
    }

    proptest::proptest! {
        #[test]
        fn references_read_in_place_as_through_a_copy(
            word in "[$]?[A-Za-z]{0,4}[$]?[+-]?[0-9]{0,11}[A-Z1 中]?"
        ) {
            proptest::prop_assert_eq!(parse_ref(&word), parse_ref_by_copy(&word));
        }
    }
}
