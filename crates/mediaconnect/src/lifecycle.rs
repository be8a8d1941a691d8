//! A flow's status on the shared lifecycle clock: STANDBY → STARTING → ACTIVE,
//! ACTIVE → STOPPING → STANDBY, ACTIVE → UPDATING → ACTIVE while a change applies, and
//! DELETING → gone. A transition is stored with the time it began; it is complete once the
//! clock says its delay has passed (at once with `--transitions instant`, on
//! `clock/advance` with `manual`).

use crate::model::Status;
use serde::{Deserialize, Serialize};
use service::Clock;
use std::time::Duration;

/// How long STARTING lasts before ACTIVE in the default (fast) mode.
pub const START: Duration = Duration::from_secs(3);
/// How long STOPPING lasts before STANDBY.
pub const STOP: Duration = Duration::from_secs(3);
/// How long UPDATING lasts before the flow is ACTIVE again.
pub const UPDATE: Duration = Duration::from_secs(2);
/// How long DELETING lasts before the flow is gone.
pub const DELETE: Duration = Duration::from_secs(3);

/// A status change under way: where it ends (`None`: the flow is gone) and when it began.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Transition {
    /// The status it ends in; `None` when it ends with the flow deleted.
    pub to: Option<Status>,
    /// Lifecycle time it began.
    pub started: f64,
    /// How long it takes, seconds.
    pub seconds: f64,
}

impl Transition {
    /// A transition to `to` beginning now.
    pub fn begin(clock: &Clock, to: Option<Status>, takes: Duration) -> Self {
        Transition {
            to,
            started: clock.lifecycle_now(),
            seconds: takes.as_secs_f64(),
        }
    }

    /// Whether it has completed.
    pub fn done(&self, clock: &Clock) -> bool {
        clock.due(self.started, Duration::from_secs_f64(self.seconds))
    }
}

/// What a status plus an optional transition amount to now: `None` when the flow is gone.
pub fn current(clock: &Clock, status: Status, transition: Option<&Transition>) -> Option<Status> {
    match transition {
        Some(t) if t.done(clock) => t.to,
        _ => Some(status),
    }
}

/// The transition StartFlow begins, or why it cannot.
pub fn start(status: Status) -> Result<(Status, Status, Duration), String> {
    match status {
        Status::Standby | Status::Error => Ok((Status::Starting, Status::Active, START)),
        other => Err(format!(
            "The flow cannot be started because it is in the {} state. Only a flow in the STANDBY state can be started.",
            other.as_str()
        )),
    }
}

/// The transition StopFlow begins, or why it cannot.
pub fn stop(status: Status) -> Result<(Status, Status, Duration), String> {
    match status {
        Status::Active | Status::Starting | Status::Updating | Status::Error => {
            Ok((Status::Stopping, Status::Standby, STOP))
        }
        other => Err(format!(
            "The flow cannot be stopped because it is in the {} state. Only an ACTIVE flow can be stopped.",
            other.as_str()
        )),
    }
}

/// Whether DeleteFlow may delete a flow in `status`.
pub fn delete(status: Status) -> Result<(), String> {
    match status {
        Status::Standby | Status::Error => Ok(()),
        other => Err(format!(
            "The flow cannot be deleted because it is in the {} state. Stop the flow before you delete it.",
            other.as_str()
        )),
    }
}

/// Whether a flow in `status` accepts changes to its configuration (a running flow does,
/// and goes through UPDATING; one mid-transition does not).
pub fn changeable(status: Status) -> Result<(), String> {
    match status {
        Status::Standby | Status::Active | Status::Error => Ok(()),
        other => Err(format!(
            "The flow cannot be updated because it is in the {} state. Try again when the flow is ACTIVE or STANDBY.",
            other.as_str()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use service::Transitions;

    #[test]
    fn start_stop_delete_rules() {
        assert_eq!(start(Status::Standby).unwrap().0, Status::Starting);
        assert!(start(Status::Active).is_err());
        assert_eq!(stop(Status::Active).unwrap().1, Status::Standby);
        assert!(stop(Status::Standby).is_err());
        assert!(delete(Status::Standby).is_ok());
        assert!(delete(Status::Active).unwrap_err().contains("ACTIVE state"));
        assert!(changeable(Status::Starting).is_err());
    }

    #[test]
    fn transitions_follow_the_clock() {
        let clock = Clock::new(Transitions::Manual);
        let t = Transition::begin(&clock, Some(Status::Active), START);
        assert_eq!(
            current(&clock, Status::Starting, Some(&t)),
            Some(Status::Starting)
        );
        clock.advance(Duration::from_secs(5));
        assert_eq!(
            current(&clock, Status::Starting, Some(&t)),
            Some(Status::Active)
        );
        let gone = Transition::begin(&clock, None, DELETE);
        let instant = Clock::new(Transitions::Instant);
        assert_eq!(current(&instant, Status::Deleting, Some(&gone)), None);
    }
}
