//! When each job of a queue with a known capacity (a reserved queue's slots, an on-demand
//! queue's `ConcurrentJobs`, the `Default` queue's included) starts: at most that many run at
//! once, and when a slot frees the waiting job with the highest priority (the first submitted
//! among equals) takes it.
//!
//! A job is *selected* for a slot `QUEUED` before the slot frees (or on arrival, when a slot
//! is free): its stored phase is SUBMITTED since then, so the lifecycle's fixed SUBMITTED step
//! ends exactly when it starts, `max(arrival + QUEUED, slot free)`, and every lazily computed
//! view (status, progress, `Timing`, its time to rest) holds unchanged. A job selected is
//! committed; the others wait and may be passed by a job that outranks them.
//!
//! [`QueueSchedule::append`] places a new job in O(log capacity) when it outranks no waiting
//! job (the common case); otherwise [`simulate`] places the queue's waiting jobs again.
//!
//! Queue hopping: a job with a hop destination that no slot is chosen for by the end of its
//! wait leaves the queue then, without taking a slot ([`Placed::Hops`]); a job with hop
//! destinations is appended only when the queue selects it by then (it never hops); else it
//! is placed by [`simulate`].

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, VecDeque};

/// A lifecycle time, totally ordered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Time(pub f64);

impl Eq for Time {}

impl PartialOrd for Time {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Time {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// When a job arriving at `arrival` is selected for a slot that frees at `free`: on arrival
/// if the slot is free by the time its SUBMITTED step ends, else `queued` before it frees.
fn selected_at(arrival: f64, free: f64, queued: f64) -> f64 {
    if arrival + queued >= free {
        arrival
    } else {
        free - queued
    }
}

/// One queue's slots and waiting jobs, as far as placing a new job needs them.
#[derive(Debug, Clone)]
pub(crate) struct QueueSchedule {
    /// How many jobs run at once.
    pub capacity: usize,
    /// `QUEUED` in seconds: how long a selected job stays SUBMITTED.
    queued: f64,
    /// When each busy slot frees (a min-heap; fewer entries than `capacity` means free slots).
    busy: BinaryHeap<Reverse<Time>>,
    /// The waiting jobs as (selection time, priority), selection times ascending, priorities
    /// strictly ascending: the front has the lowest priority of the jobs selected after any
    /// time (a job of no higher priority selected earlier never matters once a later one is
    /// there). At most one entry per priority.
    waiting: VecDeque<(f64, i64)>,
    /// The latest arrival placed (arrivals are placed in order).
    last_arrival: f64,
}

impl QueueSchedule {
    /// A queue of `capacity` slots, all free.
    pub fn new(capacity: usize, queued: f64) -> Self {
        QueueSchedule {
            capacity,
            queued,
            busy: BinaryHeap::new(),
            waiting: VecDeque::new(),
            last_arrival: f64::NEG_INFINITY,
        }
    }

    /// Places a job arriving at `arrival` (lifecycle time, not before the last placed) with
    /// `priority`, which runs `run` seconds once started, behind every job waiting: returns
    /// when it is selected (its SUBMITTED phase's `since`), or `None` if it outranks a job
    /// still waiting at its arrival (the queue must be placed again, see [`simulate`]).
    pub fn append(&mut self, arrival: f64, priority: i64, run: f64) -> Option<f64> {
        // Concurrent submissions may reach the lock microseconds out of order.
        let at = arrival.max(self.last_arrival);
        while self.waiting.front().is_some_and(|(s, _)| *s <= at) {
            self.waiting.pop_front();
        }
        if self.waiting.front().is_some_and(|(_, p)| priority > *p) {
            return None;
        }
        self.last_arrival = at;
        let free = if self.busy.len() < self.capacity {
            f64::NEG_INFINITY
        } else {
            self.busy.pop().map_or(f64::NEG_INFINITY, |Reverse(t)| t.0)
        };
        let since = selected_at(arrival, free, self.queued);
        self.busy.push(Reverse(Time(since + self.queued + run)));
        if since > at {
            self.wait(since, priority);
        }
        Some(since)
    }

    /// When [`QueueSchedule::append`] would select a job arriving at `arrival` that outranks
    /// no waiting job, without placing it.
    pub fn selection(&self, arrival: f64) -> f64 {
        let free = if self.busy.len() < self.capacity {
            f64::NEG_INFINITY
        } else {
            self.busy.peek().map_or(f64::NEG_INFINITY, |Reverse(t)| t.0)
        };
        selected_at(arrival, free, self.queued)
    }

    /// Notes a job that waits until `since`.
    fn wait(&mut self, since: f64, priority: i64) {
        let since = self.waiting.back().map_or(since, |(s, _)| since.max(*s));
        while self.waiting.back().is_some_and(|(_, p)| *p >= priority) {
            self.waiting.pop_back();
        }
        self.waiting.push_back((since, priority));
    }

    /// Jobs running or selected (for tests).
    #[cfg(test)]
    pub fn busy(&self) -> usize {
        self.busy.len()
    }
}

/// A job of the queue not yet selected, to be placed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Waiting {
    /// When it arrived (was submitted, or released from a paused queue), lifecycle time.
    pub arrival: f64,
    /// Its priority.
    pub priority: i64,
    /// How long it runs once started, seconds.
    pub run: f64,
    /// When it hops to another queue if no slot is chosen for it by then (infinite: never).
    pub leaves: f64,
}

/// Where [`simulate`] puts a waiting job.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Placed {
    /// Selected for a slot at this time (its SUBMITTED phase's `since`).
    Selected(f64),
    /// No slot is chosen for it by this time, when it hops.
    Hops(f64),
}

/// Places a queue's waiting jobs at lifecycle time `now`, given when the jobs already running
/// or selected free their slots (`committed`): `waiting` in submission order (ties of priority
/// go to the earlier). Returns the schedule to place later jobs with and where each waiting
/// job goes, in `waiting`'s order. None is selected before it arrives, none starts before
/// `now`, and none is selected after it leaves.
pub(crate) fn simulate(
    capacity: usize,
    queued: f64,
    now: f64,
    mut committed: Vec<f64>,
    waiting: &[Waiting],
) -> (QueueSchedule, Vec<Placed>) {
    let mut s = QueueSchedule::new(capacity, queued);
    s.last_arrival = now;
    // More running than slots (the capacity was lowered): the next slot frees only when
    // enough of them have ended, so only the latest `capacity` ends count.
    committed.sort_unstable_by(f64::total_cmp);
    let keep = committed.len().saturating_sub(capacity);
    s.busy = committed[keep..]
        .iter()
        .map(|t| Reverse(Time(*t)))
        .collect();
    // By arrival; the sort is stable, so submission order among equal arrivals.
    let mut arrivals: Vec<usize> = (0..waiting.len()).collect();
    arrivals.sort_by(|a, b| waiting[*a].arrival.total_cmp(&waiting[*b].arrival));
    // The best ranked first: highest priority, then first submitted.
    let mut ready: BinaryHeap<(i64, Reverse<usize>)> = BinaryHeap::new();
    let mut next = 0;
    let mut placed = vec![Placed::Selected(0.0); waiting.len()];
    // Each turn places one job or lets one hop; a hop leaves the slot to the next.
    for _ in 0..waiting.len() {
        let free = if s.busy.len() < capacity {
            f64::NEG_INFINITY
        } else {
            s.busy.peek().map_or(f64::NEG_INFINITY, |Reverse(t)| t.0)
        };
        let start = free.max(now);
        while let Some(&i) = arrivals.get(next) {
            if waiting[i].arrival + queued > start {
                break;
            }
            ready.push((waiting[i].priority, Reverse(i)));
            next += 1;
        }
        if ready.is_empty() {
            // Nobody can start when the slot frees: the next to arrive takes it.
            let Some(first) = arrivals.get(next).map(|i| waiting[*i].arrival) else {
                break;
            };
            while let Some(&i) = arrivals.get(next) {
                if waiting[i].arrival > first {
                    break;
                }
                ready.push((waiting[i].priority, Reverse(i)));
                next += 1;
            }
        }
        let Some((_, Reverse(i))) = ready.pop() else {
            break;
        };
        let w = waiting[i];
        let at = selected_at(w.arrival, start, queued);
        if at > w.leaves {
            placed[i] = Placed::Hops(w.leaves);
            continue;
        }
        if s.busy.len() >= capacity {
            s.busy.pop();
        }
        s.busy.push(Reverse(Time(at + queued + w.run)));
        placed[i] = Placed::Selected(at);
        if at > now {
            s.wait(at, w.priority);
        }
    }
    (s, placed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const Q: f64 = 2.0;
    const RUN: f64 = 8.0;

    fn job(arrival: f64, priority: i64) -> Waiting {
        Waiting {
            arrival,
            priority,
            run: RUN,
            leaves: f64::INFINITY,
        }
    }

    /// Each job selected at these times.
    fn selected(times: &[f64]) -> Vec<Placed> {
        times.iter().map(|t| Placed::Selected(*t)).collect()
    }

    #[test]
    fn appended_jobs_take_free_slots_then_wait_for_the_first_to_free() {
        let mut s = QueueSchedule::new(2, Q);
        let since: Vec<f64> = (0..5).map(|_| s.append(0.0, 0, RUN).unwrap()).collect();
        // Two start at 2 and end at 10; the next two start at 10, the last at 18.
        assert_eq!(since, [0.0, 0.0, 8.0, 8.0, 16.0]);
        // A job of higher priority arriving while they wait must be placed among them.
        assert_eq!(s.append(1.0, 10, RUN), None);
        // One of no higher priority goes last.
        assert_eq!(s.append(1.0, 0, RUN), Some(16.0));
        assert_eq!(s.append(1.0, -5, RUN), Some(24.0));
        // Once every job waiting has been selected, priority no longer matters.
        assert_eq!(s.selection(30.0), 30.0);
        assert_eq!(s.append(30.0, 50, RUN), Some(30.0));
        assert_eq!(s.busy(), 2);
        // Both slots busy: one arriving at 31 would wait, and is selected when appending says.
        let selection = s.selection(31.0);
        assert!(selection > 31.0);
        assert_eq!(s.append(31.0, 0, RUN), Some(selection));
    }

    #[test]
    fn simulating_appends_gives_what_appending_gave() {
        let arrivals = [
            (0.0, 0),
            (0.0, 0),
            (0.5, -1),
            (1.0, -1),
            (9.0, -3),
            (9.5, -3),
        ];
        let mut s = QueueSchedule::new(2, Q);
        let appended: Vec<f64> = arrivals
            .iter()
            .map(|(a, p)| s.append(*a, *p, RUN).unwrap())
            .collect();
        let waiting: Vec<Waiting> = arrivals.iter().map(|(a, p)| job(*a, *p)).collect();
        let (_, simulated) = simulate(2, Q, 0.0, Vec::new(), &waiting);
        assert_eq!(selected(&appended), simulated);
    }

    #[test]
    fn a_freed_slot_goes_to_the_highest_priority_then_the_first_submitted() {
        // Two run until 10; five wait, the fourth with priority 10.
        let waiting: Vec<Waiting> = [0, 0, 10, 0, 0].iter().map(|p| job(0.0, *p)).collect();
        let (s, since) = simulate(2, Q, 0.5, vec![10.0, 10.0], &waiting);
        assert_eq!(since, selected(&[8.0, 16.0, 8.0, 16.0, 24.0]));
        // The latest of them are still waiting: a job of priority 0 goes after them all.
        let mut s = s;
        assert_eq!(s.append(1.0, 0, RUN), Some(24.0));
        // A slot freed now (a canceled job): the next starts at once, selected in the past.
        let (_, since) = simulate(1, Q, 5.0, vec![], &[job(0.0, 0)]);
        assert_eq!(since, selected(&[3.0]));
        // More running than slots (capacity lowered): a slot frees when enough have ended.
        let (_, since) = simulate(1, Q, 0.0, vec![4.0, 6.0, 12.0], &[job(0.0, 0)]);
        assert_eq!(since, selected(&[10.0]));
        // Jobs arriving after the slots free start on arrival's schedule.
        let (_, since) = simulate(1, Q, 0.0, vec![3.0], &[job(7.0, 0), job(7.0, 9)]);
        assert_eq!(since, selected(&[15.0, 7.0]));
    }

    #[test]
    fn a_job_no_slot_is_chosen_for_by_the_end_of_its_wait_hops_and_leaves_its_slot() {
        // One slot, busy until 10: the first job waits, the second (which may hop at 5)
        // would be selected only at 16, so it hops at 5 and the third takes its turn.
        let hopper = Waiting {
            leaves: 5.0,
            ..job(0.0, 0)
        };
        let (s, placed) = simulate(1, Q, 0.0, vec![10.0], &[job(0.0, 0), hopper, job(0.0, 0)]);
        assert_eq!(
            placed,
            [
                Placed::Selected(8.0),
                Placed::Hops(5.0),
                Placed::Selected(16.0)
            ]
        );
        assert_eq!(s.busy(), 1);
        // Selected by the end of its wait (on arrival, a slot free), it stays.
        let (_, placed) = simulate(1, Q, 0.0, vec![], &[hopper]);
        assert_eq!(placed, [Placed::Selected(0.0)]);
        // Its priority puts it first: it is selected at 8, after its wait, so it hops even
        // though it outranks the other job, which then takes the slot.
        let urgent = Waiting {
            priority: 9,
            ..hopper
        };
        let (_, placed) = simulate(1, Q, 0.0, vec![10.0], &[job(0.0, 0), urgent]);
        assert_eq!(placed, [Placed::Selected(8.0), Placed::Hops(5.0)]);
    }
}
