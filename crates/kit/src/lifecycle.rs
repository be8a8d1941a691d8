//! Lifecycle state machines on the shared clock: a resource records the state it entered and
//! when (lifecycle time); reads compute where the timed steps have taken it since, so fast,
//! instant and manual modes (`service::Transitions`) all work without background tasks.

use serde::{Deserialize, Serialize};
use service::Clock;
use std::time::Duration;

/// One timed step: a resource in `from` is in `to` once `after` has passed.
#[derive(Debug, Clone, Copy)]
pub struct Step {
    /// The state it leaves.
    pub from: &'static str,
    /// The state it enters.
    pub to: &'static str,
    /// How long the step takes in fast mode.
    pub after: Duration,
}

/// A resource type's timed steps (`STARTING → ACTIVE`, `SUBMITTED → PROGRESSING → COMPLETE`).
#[derive(Debug, Clone, Copy)]
pub struct Lifecycle {
    /// The steps; from any state at most one step leaves.
    pub steps: &'static [Step],
}

/// Where a resource is in its lifecycle: a state entered at a lifecycle time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Phase {
    /// The state as last set or settled.
    pub state: String,
    /// When it was entered (lifecycle time, `Clock::lifecycle_now`).
    pub since: f64,
}

impl Lifecycle {
    /// A resource entering `state` now.
    pub fn enter(&self, clock: &Clock, state: &str) -> Phase {
        Phase {
            state: state.to_string(),
            since: clock.lifecycle_now(),
        }
    }

    /// Where `phase` is now: every step that is due is taken.
    pub fn current(&self, clock: &Clock, phase: &Phase) -> Phase {
        self.at(phase, clock.settled_through())
    }

    /// Where `phase` is at lifecycle time `t` (not before `phase` itself): every step due by
    /// then taken.
    pub fn at(&self, phase: &Phase, t: f64) -> Phase {
        let mut now = phase.clone();
        // Each state has at most one way out, so this ends within `steps.len()` moves.
        for _ in 0..=self.steps.len() {
            let Some(step) = self.steps.iter().find(|s| s.from == now.state) else {
                break;
            };
            let next = now.since + step.after.as_secs_f64();
            if next > t {
                break;
            }
            now = Phase {
                state: step.to.to_string(),
                since: next,
            };
        }
        now
    }

    /// The lifecycle time at which `phase` reaches a state no step leaves, if nothing else
    /// moves it (its `since` if no step leaves it now).
    pub fn rests_at(&self, phase: &Phase) -> f64 {
        let (mut state, mut at) = (phase.state.as_str(), phase.since);
        for _ in 0..self.steps.len() {
            let Some(step) = self.steps.iter().find(|s| s.from == state) else {
                break;
            };
            state = step.to;
            at += step.after.as_secs_f64();
        }
        at
    }

    /// The current state's name.
    pub fn state(&self, clock: &Clock, phase: &Phase) -> String {
        self.current(clock, phase).state
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use service::Transitions;

    const JOB: Lifecycle = Lifecycle {
        steps: &[
            Step {
                from: "SUBMITTED",
                to: "PROGRESSING",
                after: Duration::from_secs(1),
            },
            Step {
                from: "PROGRESSING",
                to: "COMPLETE",
                after: Duration::from_secs(3),
            },
        ],
    };

    #[test]
    fn manual_clock_steps_through_the_machine() {
        let clock = Clock::new(Transitions::Manual);
        let p = JOB.enter(&clock, "SUBMITTED");
        assert_eq!(JOB.state(&clock, &p), "SUBMITTED");
        clock.advance(Duration::from_secs(1));
        assert_eq!(JOB.state(&clock, &p), "PROGRESSING");
        clock.advance(Duration::from_secs(2));
        assert_eq!(JOB.state(&clock, &p), "PROGRESSING");
        clock.advance(Duration::from_secs(1));
        let now = JOB.current(&clock, &p);
        assert_eq!(now.state, "COMPLETE");
        assert_eq!(now.since, 4.0);
        // It was to rest at 4.0 from the start, and is at rest from then on.
        assert_eq!(JOB.rests_at(&p), 4.0);
        assert_eq!(JOB.rests_at(&now), 4.0);
        let midway = Phase {
            state: "PROGRESSING".into(),
            since: 2.5,
        };
        assert_eq!(JOB.rests_at(&midway), 5.5);
    }

    #[test]
    fn a_phase_at_a_given_time_takes_the_steps_due_by_then() {
        let p = Phase {
            state: "SUBMITTED".into(),
            since: 10.0,
        };
        assert_eq!(JOB.at(&p, 10.5), p);
        let progressing = JOB.at(&p, 11.0);
        assert_eq!(
            (progressing.state.as_str(), progressing.since),
            ("PROGRESSING", 11.0)
        );
        let complete = JOB.at(&p, 100.0);
        assert_eq!(
            (complete.state.as_str(), complete.since),
            ("COMPLETE", 14.0)
        );
        // Before the phase itself: where it is.
        assert_eq!(JOB.at(&p, 0.0), p);
    }

    #[test]
    fn instant_clock_is_already_done() {
        let clock = Clock::new(Transitions::Instant);
        let p = JOB.enter(&clock, "SUBMITTED");
        assert_eq!(JOB.state(&clock, &p), "COMPLETE");
        let canceled = JOB.enter(&clock, "CANCELED");
        assert_eq!(JOB.state(&clock, &canceled), "CANCELED");
    }
}
