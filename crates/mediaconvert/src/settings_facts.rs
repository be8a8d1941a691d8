//! What CreateJob derives from a job's settings: their wire text, the files the job reads and
//! writes, its codecs and its media's length. A client submits job after job with the same
//! settings, and deriving them walks the settings some five times (the text through the
//! model's renderer, member by member: about 6,000 instructions for one input and one output,
//! 10,000 in all). Each worker thread keeps the last settings it derived facts from, with the
//! facts, and settings the same as those, member for member in the same order, are only
//! compared with them (a walk of both trees, about 1,800 instructions).
//!
//! Only facts of the settings alone are kept: not those of settings whose outputs name a
//! preset (their checks and files read the caller's presets). So kept facts are right for any
//! caller of any service on the thread.

use crate::model::WireDocument;
use crate::settings::OutputFile;
use serde_json::{Number, Value};
use std::cell::RefCell;
use std::rc::Rc;

/// What CreateJob derives from a job's (checked) settings.
#[derive(Debug, PartialEq)]
pub(crate) struct SettingsFacts {
    /// The settings' wire text.
    pub text: WireDocument,
    /// The job's input files, in order (`settings::file_inputs`).
    pub inputs: Vec<String>,
    /// The files it writes (`settings::output_files`).
    pub outputs: Vec<OutputFile>,
    /// Its outputs' video and audio codecs (`settings::codecs`).
    pub codecs: (Vec<String>, Vec<String>),
    /// Its media's length in milliseconds, if any input names a file (`settings::stitched_ms`).
    pub length_ms: Option<i64>,
}

thread_local! {
    static LAST: RefCell<Option<(Value, Rc<SettingsFacts>)>> = const { RefCell::new(None) };
}

/// The facts kept on this thread if they are of settings the same as `settings`.
pub(crate) fn recall(settings: &Value) -> Option<Rc<SettingsFacts>> {
    LAST.with(|last| {
        let last = last.borrow();
        let (kept, facts) = last.as_ref()?;
        same(kept, settings).then(|| facts.clone())
    })
}

/// Keeps `facts`, derived from `settings` alone (no preset read), for the next job on this
/// thread, in place of those kept before.
pub(crate) fn keep(settings: Value, facts: Rc<SettingsFacts>) {
    LAST.with(|last| *last.borrow_mut() = Some((settings, facts)));
}

/// Whether two values are the same member for member, in the same order (what a render
/// writes alike): unlike `==`, members in another order differ, and so do `0.0` and `-0.0`.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((ka, va), (kb, vb))| ka == kb && same(va, vb))
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b))
        }
        (Value::Number(a), Value::Number(b)) => same_number(a, b),
        _ => a == b,
    }
}

/// Whether two numbers are the same and written alike (`==` takes `-0.0` for `0.0`).
fn same_number(a: &Number, b: &Number) -> bool {
    a == b && (!a.is_f64() || a.as_f64().map(f64::to_bits) == b.as_f64().map(f64::to_bits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn settings_are_the_same_only_member_for_member_in_order() {
        let a = json!({"Inputs": [{"FileInput": "s3://in/a.mov"}], "TimecodeConfig": {"Source": "ZEROBASED"}});
        assert!(same(&a, &a.clone()));
        // Members in another order are equal to `==` but written in another order.
        let reordered = json!({"TimecodeConfig": {"Source": "ZEROBASED"}, "Inputs": [{"FileInput": "s3://in/a.mov"}]});
        assert_eq!(a, reordered);
        assert!(!same(&a, &reordered));
        // `0.0 == -0.0`, but they are written apart; an integer is not a float.
        assert!(!same(&json!({"X": 0.0}), &json!({"X": -0.0})));
        assert!(!same(&json!(1), &json!(1.0)));
        assert!(same(
            &json!([1.5, -2, null, true, "x"]),
            &json!([1.5, -2, null, true, "x"])
        ));
        assert!(!same(&json!([1, 2]), &json!([1, 2, 3])));
        assert!(!same(&json!({"A": 1}), &json!({"A": 1, "B": 2})));
        assert!(!same(&json!({"A": "x"}), &json!({"A": "y"})));
        assert!(!same(&json!({"A": null}), &json!({})));
    }

    #[test]
    fn the_last_settings_kept_are_recalled_for_the_same_settings_only() {
        let facts = |text: &str| {
            Rc::new(SettingsFacts {
                text: WireDocument::new(text.as_bytes().to_vec()),
                inputs: vec![text.to_string()],
                outputs: Vec::new(),
                codecs: (Vec::new(), Vec::new()),
                length_ms: None,
            })
        };
        let (a, b) = (json!({"A": [1]}), json!({"B": [1]}));
        keep(a.clone(), facts("a"));
        assert_eq!(recall(&a), Some(facts("a")));
        assert_eq!(recall(&b), None);
        keep(b.clone(), facts("b"));
        assert_eq!(recall(&a), None, "only the last settings are kept");
        assert_eq!(recall(&b), Some(facts("b")));
        // Another thread keeps its own.
        assert!(std::thread::spawn(move || recall(&b).is_none())
            .join()
            .unwrap());
    }
}
