//! A flow's status on the shared lifecycle clock: STANDBY → STARTING → ACTIVE,
//! ACTIVE → STOPPING → STANDBY, ACTIVE → UPDATING → ACTIVE while a change applies, and
//! DELETING → gone. Each step completes once the clock says its delay has passed (at once
//! with `--transitions instant`, on `clock/advance` with `manual`). Which operation may start
//! which transition is MediaConnect's rule, here too.

use crate::model::Status;
use kit::{Lifecycle, Step};
use std::time::Duration;

/// The pseudo-state a completed deletion ends in: the flow no longer exists.
pub const DELETED: &str = "DELETED";

/// The flow lifecycle's timed steps (fast mode's delays).
pub const FLOW: Lifecycle = Lifecycle {
    steps: &[
        Step {
            from: "STARTING",
            to: "ACTIVE",
            after: Duration::from_secs(3),
        },
        Step {
            from: "STOPPING",
            to: "STANDBY",
            after: Duration::from_secs(3),
        },
        Step {
            from: "UPDATING",
            to: "ACTIVE",
            after: Duration::from_secs(2),
        },
        Step {
            from: "DELETING",
            to: DELETED,
            after: Duration::from_secs(3),
        },
    ],
};

/// What StartFlow moves a flow in `status` to, or why it cannot.
pub fn start(status: Status) -> Result<Status, String> {
    match status {
        Status::Standby | Status::Error => Ok(Status::Starting),
        other => Err(format!(
            "The flow cannot be started because it is in the {} state. Only a flow in the STANDBY state can be started.",
            other.as_str()
        )),
    }
}

/// What StopFlow moves a flow in `status` to, or why it cannot.
pub fn stop(status: Status) -> Result<Status, String> {
    match status {
        Status::Active | Status::Starting | Status::Updating | Status::Error => {
            Ok(Status::Stopping)
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
    use service::{Clock, Transitions};

    #[test]
    fn start_stop_delete_rules() {
        assert_eq!(start(Status::Standby), Ok(Status::Starting));
        assert!(start(Status::Active).is_err());
        assert_eq!(stop(Status::Active), Ok(Status::Stopping));
        assert!(stop(Status::Standby).is_err());
        assert!(delete(Status::Standby).is_ok());
        assert!(delete(Status::Active).unwrap_err().contains("ACTIVE state"));
        assert!(changeable(Status::Starting).is_err());
    }

    #[test]
    fn steps_follow_the_clock() {
        let clock = Clock::new(Transitions::Manual);
        let p = FLOW.enter(&clock, "STARTING");
        assert_eq!(FLOW.state(&clock, &p), "STARTING");
        clock.advance(Duration::from_secs(5));
        assert_eq!(FLOW.state(&clock, &p), "ACTIVE");
        let instant = Clock::new(Transitions::Instant);
        let gone = FLOW.enter(&instant, "DELETING");
        assert_eq!(FLOW.state(&instant, &gone), DELETED);
    }
}
