//! Offerings (reserved outbound bandwidth, a fixed catalogue per account and region) and the
//! reservations bought with PurchaseOffering.

use crate::error::{bad_request, not_found};
use crate::flows::PAGING;
use crate::rules;
use crate::MediaConnect;
use kit::{PageRequest, Stored, Tags};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use service::{RequestContext, ServiceError};

/// The catalogue: (ID, reserved Mbps, price per hour in USD).
const CATALOGUE: &[(&str, i64, &str)] = &[
    ("87654321-1000-4c0e-9a1d-000000000010", 10, "0.52"),
    ("87654321-1000-4c0e-9a1d-000000000050", 50, "2.16"),
    ("87654321-1000-4c0e-9a1d-000000000100", 100, "3.90"),
];

/// A reservation (`Reservation` shape).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Reservation {
    pub currency_code: String,
    pub duration: i64,
    pub duration_units: String,
    pub end: String,
    pub offering_arn: String,
    pub offering_description: String,
    pub price_per_unit: String,
    pub price_units: String,
    pub reservation_arn: String,
    pub reservation_name: String,
    pub reservation_state: String,
    pub resource_specification: Value,
    pub start: String,
}

impl Reservation {
    /// The reservation as the API shows it at `now` (ISO 8601, UTC): an ACTIVE reservation
    /// whose End has passed is EXPIRED (the model's `ReservationState`; ListReservations "includes
    /// all reservations in all states (such as active and expired)").
    fn view(&self, now: &str) -> Value {
        let mut v = json!(self);
        if self.reservation_state == "ACTIVE" && self.end.as_str() <= now {
            v["ReservationState"] = json!("EXPIRED");
        }
        v
    }
}

fn offering_arn(ctx: &RequestContext, id: &str) -> String {
    format!(
        "arn:aws:mediaconnect:{}:{}:offering:{id}",
        ctx.region,
        ctx.account()
    )
}

fn offering(ctx: &RequestContext, (id, mbps, price): (&str, i64, &str)) -> Value {
    json!({
        "CurrencyCode": "USD",
        "Duration": 12,
        "DurationUnits": "MONTHS",
        "OfferingArn": offering_arn(ctx, id),
        "OfferingDescription": format!("{mbps} Mbps outbound bandwidth, 12-month commitment"),
        "PricePerUnit": price,
        "PriceUnits": "HOURLY",
        "ResourceSpecification": {"ReservedBitrate": mbps * 1_000_000, "ResourceType": "Mbps_Outbound_Bandwidth"},
    })
}

fn find(ctx: &RequestContext, arn: &str) -> Result<Value, ServiceError> {
    CATALOGUE
        .iter()
        .find(|(id, _, _)| offering_arn(ctx, id) == arn)
        .map(|o| offering(ctx, *o))
        .ok_or_else(|| not_found(format!("Offering not found: {arn}")))
}

/// `YYYY-MM-DDTHH:MM:SSZ` (fractions allowed) → the same instant `months` later (day kept,
/// clamped to 28 so every month has it).
fn add_months(start: &str, months: i64) -> Option<String> {
    let b = start.as_bytes();
    let ok = b.len() >= 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && start.ends_with('Z');
    if !ok {
        return None;
    }
    let year: i64 = start[0..4].parse().ok()?;
    let month: i64 = start[5..7].parse().ok()?;
    let day: i64 = start[8..10].parse().ok()?;
    let hour: i64 = start[11..13].parse().ok()?;
    let minute: i64 = start[14..16].parse().ok()?;
    let second: f64 = start[17..start.len() - 1].parse().ok()?;
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second >= 61.0
    {
        return None;
    }
    let total = year * 12 + (month - 1) + months;
    Some(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        total / 12,
        total % 12 + 1,
        day.min(28),
        hour,
        minute,
        second as i64
    ))
}

impl MediaConnect {
    /// ListOfferings.
    pub(crate) fn list_offerings(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let key = &self.runtime.token_key;
        let page = PageRequest::read(key, &PAGING, ctx, "ListOfferings", input, "")?;
        // "If you have an active reservation … your account isn't eligible for other
        // offerings."
        let ids: Vec<&str> = if self.has_active_reservation(ctx) {
            Vec::new()
        } else {
            CATALOGUE.iter().map(|(id, _, _)| *id).collect()
        };
        let (items, next) = page.page_keys(key, ids.iter().copied(), |_| true);
        let list: Vec<Value> = items
            .into_iter()
            .filter_map(|id| CATALOGUE.iter().find(|(i, _, _)| *i == id))
            .map(|o| offering(ctx, *o))
            .collect();
        let mut out = Map::new();
        out.insert("Offerings".into(), Value::from(list));
        page.put_token(&mut out, next);
        Ok(Value::Object(out))
    }

    /// DescribeOffering.
    pub(crate) fn describe_offering(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = input
            .get("OfferingArn")
            .and_then(Value::as_str)
            .unwrap_or("");
        Ok(json!({ "Offering": find(ctx, arn)? }))
    }

    /// PurchaseOffering: a reservation for 12 months from `Start`.
    pub(crate) fn purchase_offering(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = input
            .get("OfferingArn")
            .and_then(Value::as_str)
            .unwrap_or("");
        let o = find(ctx, arn)?;
        if self.has_active_reservation(ctx) {
            // "If you already have an active reservation, you can't purchase another
            // offering." (AWS's wording of the refusal is not documented.)
            return Err(bad_request(
                "You can't purchase another offering while you have an active reservation.",
            ));
        }
        let name = input.get("ReservationName").and_then(Value::as_str);
        let name = rules::name("Reservation", name)?.to_string();
        let start = input.get("Start").and_then(Value::as_str).unwrap_or("");
        let end = add_months(start, 12).ok_or_else(|| {
            bad_request(format!(
                "Start {start} is not valid. Specify the start in the format YYYY-MM-DDTHH:MM:SSZ, in UTC."
            ))
        })?;
        // "any date and time between 12:00am on the first day of the current month to the
        // current time on today's date, inclusive" (the API Reference).
        let now = self.runtime.clock.now();
        let month_start = protocol::timestamp::iso8601(now)
            .get(..8)
            .and_then(|month| protocol::timestamp::parse(&format!("{month}01T00:00:00Z")));
        let at = protocol::timestamp::parse(start);
        if !matches!((month_start, at), (Some(from), Some(at)) if at >= from && at <= now.ceil()) {
            return Err(bad_request(format!(
                "Start {start} is not valid. Specify a start between 12:00am on the first day of the current month and the current time, in UTC."
            )));
        }
        let id = self.runtime.ids.uuid();
        let r = Reservation {
            currency_code: "USD".into(),
            duration: 12,
            duration_units: "MONTHS".into(),
            end,
            offering_arn: arn.to_string(),
            offering_description: o["OfferingDescription"].as_str().unwrap_or("").to_string(),
            price_per_unit: o["PricePerUnit"].as_str().unwrap_or("").to_string(),
            price_units: "HOURLY".into(),
            reservation_arn: format!(
                "arn:aws:mediaconnect:{}:{}:reservation:{id}:{name}",
                ctx.region,
                ctx.account()
            ),
            reservation_name: name,
            reservation_state: "ACTIVE".into(),
            resource_specification: o["ResourceSpecification"].clone(),
            start: start.to_string(),
        };
        let out = json!({ "Reservation": r });
        let arn = r.reservation_arn.clone();
        self.state
            .write()
            .reservations
            .put(&ctx.journal, &arn, Stored::new(r, Tags::new()));
        Ok(out)
    }

    /// Whether the caller has a reservation in force in the region (ACTIVE, not yet ended).
    fn has_active_reservation(&self, ctx: &RequestContext) -> bool {
        let now = protocol::timestamp::iso8601(self.runtime.clock.now());
        self.state.read().reservations.iter_in(ctx).any(|(_, r)| {
            r.value.reservation_state == "ACTIVE" && r.value.end.as_str() > now.as_str()
        })
    }

    /// DescribeReservation.
    pub(crate) fn describe_reservation(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = input
            .get("ReservationArn")
            .and_then(Value::as_str)
            .unwrap_or("");
        let state = self.state.read();
        let r = state
            .reservations
            .get_in(ctx, arn)
            .ok_or_else(|| not_found(format!("Reservation not found: {arn}")))?;
        let now = protocol::timestamp::iso8601(self.runtime.clock.now());
        Ok(json!({ "Reservation": r.value.view(&now) }))
    }

    /// ListReservations.
    pub(crate) fn list_reservations(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let key = &self.runtime.token_key;
        let page = PageRequest::read(key, &PAGING, ctx, "ListReservations", input, "")?;
        let state = self.state.read();
        let found = state.reservations.page(ctx, key, &page, |_, _| true);
        let now = protocol::timestamp::iso8601(self.runtime.clock.now());
        let list: Vec<Value> = found
            .items
            .iter()
            .map(|(_, s)| s.value.view(&now))
            .collect();
        let mut out = Map::new();
        out.insert("Reservations".into(), Value::from(list));
        page.put_token(&mut out, found.next);
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reservations_end_twelve_months_later() {
        assert_eq!(
            add_months("2026-12-15T00:00:00Z", 12).as_deref(),
            Some("2027-12-15T00:00:00Z")
        );
        assert_eq!(
            add_months("2026-11-30T10:20:30.5Z", 3).as_deref(),
            Some("2027-02-28T10:20:30Z")
        );
        assert!(add_months("12/15/2026", 12).is_none());
        assert!(add_months("2026-13-01T00:00:00Z", 1).is_none());
    }
}
