//! Entities an account keeps by lowercase name in their own journal table (instance profiles,
//! server certificates): storing, removing, replaying and exporting them is the same for all.

use super::{entity_key, from_value, to_value, AccountState, State};
use serde::de::DeserializeOwned;
use serde::Serialize;
use service::{Journal, Record};
use std::collections::BTreeMap;

/// An entity kept in an account's map under its lowercase name, journaled in `TABLE`.
pub trait AccountTable: Serialize + DeserializeOwned + Sized {
    /// The journal table.
    const TABLE: &'static str;
    /// The owning account.
    fn account(&self) -> &str;
    /// The name as created.
    fn name(&self) -> &str;
    /// The account's map of them.
    fn map(a: &AccountState) -> &BTreeMap<String, Self>;
    /// The account's map of them, to change.
    fn map_mut(a: &mut AccountState) -> &mut BTreeMap<String, Self>;
}

/// Implements [`AccountTable`] for an entity with `account` and `name` fields, kept in the
/// account's map `$field` and journaled in `$table`.
macro_rules! account_table {
    ($entity:ty, $table:expr, $field:ident) => {
        impl $crate::store::account_tables::AccountTable for $entity {
            const TABLE: &'static str = $table;

            fn account(&self) -> &str {
                &self.account
            }

            fn name(&self) -> &str {
                &self.name
            }

            fn map(a: &$crate::store::AccountState) -> &std::collections::BTreeMap<String, Self> {
                &a.$field
            }

            fn map_mut(
                a: &mut $crate::store::AccountState,
            ) -> &mut std::collections::BTreeMap<String, Self> {
                &mut a.$field
            }
        }
    };
}
pub(crate) use account_table;

impl State {
    /// Journals and stores an entity.
    pub fn put_entity<T: AccountTable>(&mut self, j: &Journal, e: T) {
        let account = e.account().to_string();
        j.put(
            &account,
            T::TABLE,
            &entity_key(&account, T::TABLE, e.name()),
            to_value(&e),
        );
        T::map_mut(self.ensure_account(&account)).insert(e.name().to_lowercase(), e);
    }

    /// Journals and removes the entity `name` of `account`.
    pub fn delete_entity<T: AccountTable>(&mut self, j: &Journal, account: &str, name: &str) {
        j.delete(account, T::TABLE, &entity_key(account, T::TABLE, name));
        if let Some(a) = self.accounts.get_mut(account) {
            T::map_mut(a).remove(&name.to_lowercase());
        }
    }

    /// Re-applies a record of `T`'s table; `None` when the record is of another table.
    pub(super) fn apply_entity<T: AccountTable>(
        &mut self,
        r: &Record,
    ) -> Option<Result<(), String>> {
        if r.table != T::TABLE {
            return None;
        }
        let Some(v) = &r.value else {
            let name = r.key.rsplit(':').next().unwrap_or_default();
            if let Some(a) = self.accounts.get_mut(&r.account) {
                T::map_mut(a).remove(name);
            }
            return Some(Ok(()));
        };
        Some(from_value::<T>(v).map(|e| {
            let account = e.account().to_string();
            T::map_mut(self.ensure_account(&account)).insert(e.name().to_lowercase(), e);
        }))
    }

    /// Puts every entity of `T` that `a` holds into `j`.
    pub(super) fn entity_records<T: AccountTable>(a: &AccountState, j: &Journal) {
        for e in T::map(a).values() {
            j.put(
                e.account(),
                T::TABLE,
                &entity_key(e.account(), T::TABLE, e.name()),
                to_value(e),
            );
        }
    }
}
