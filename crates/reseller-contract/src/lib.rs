//! reseller-contract: the contract suite. One behaviour suite, written once against
//! the port traits (`ResellerPackages`, `SiteTransfers`, `Accounts`, `Sites`,
//! `DomainSearch`, `ConnectedDomains`, all together `Wix`) and the seeding trait `Seed`, that every adapter runs: the
//! in-memory Wix in every `cargo test`, the HTTP client against the emulator.
//!
//! Each case is a `pub async fn case(seed: &dyn Seed)` that seeds the standard
//! world of [`fixture`] on a fresh Wix, calls the ports, and panics with a message
//! naming the rule when the adapter answers otherwise than the rules of
//! `docs/rules.md` and the emulator's choices say: a success with the right data, or
//! a refusal with the right HTTP status, Wix error code and [`reseller_ports::ErrorKind`],
//! after which a read-back shows that nothing changed.
//!
//! An adapter crate runs the whole suite from one integration test:
//!
//! ```text
//! reseller_contract::contract_suite!(async { my_adapter::MyWix::new() });
//! ```
//!
//! which expands to one `#[test]` per case, named `<module>::<case>`.
//!
//! This crate talks to an adapter only through the port traits, `Seed`, domain
//! types and `PortError`; it never depends on an adapter.

// The public functions of this crate are test cases: they assert, unwrap and index
// like the body of a `#[test]`, which is what they are run as.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

pub mod expect;
pub mod fixture;
pub mod picks;
pub mod wix_errors;

pub mod accounts;
pub mod adjust;
pub mod auth;
pub mod dependents;
pub mod domains;
pub mod flows;
pub mod idempotency;
pub mod instances;
pub mod packages_create;
pub mod packages_read;
pub mod packages_update;
pub mod provisioning;
pub mod query;
pub mod sites;
pub mod sites_query;
pub mod transfer;

#[cfg(test)]
mod tests;

/// Runs one case to completion on a fresh single-threaded runtime with every
/// driver the build's tokio features offer (timers at least; I/O when an adapter
/// enables it, so it may run a server or a client on it). Used by
/// [`contract_suite!`]; not part of the API.
#[doc(hidden)]
pub fn __run(case: impl std::future::Future<Output = ()>) {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime for the contract case")
        .block_on(case);
}

/// Expands to one `#[test]` per contract case, in one module per group, so a test
/// runner lists each case as `<group>::<case>`.
///
/// `$make` is an expression of a future (an `async` block) whose output implements
/// `reseller_ports::Seed`: a fresh, empty Wix. It is evaluated once per case, on the
/// runtime the case runs on. The calling crate needs no dependency besides this one.
///
/// ```text
/// reseller_contract::contract_suite!(async { adapter_memory::MemoryWix::builder().build() });
/// ```
#[macro_export]
macro_rules! contract_suite {
    ($make:expr $(,)?) => {
        $crate::__cases! { @tests ($make) }
    };
}

/// The one list of every case, handed to the rule that emits tests
/// ([`contract_suite!`]), names ([`CASES`]), or the same functions as the tests
/// without `#[test]` (so this crate's own tests type-check every expansion). Not
/// part of the API.
#[doc(hidden)]
#[macro_export]
macro_rules! __cases {
    (@emit @tests ($make:expr) $($group:ident { $($case:ident),* $(,)? })*) => {
        $(
            mod $group {
                #[allow(unused_imports)]
                use super::*;
                $(
                    #[test]
                    fn $case() {
                        $crate::__run(async {
                            let seed = $make.await;
                            $crate::$group::$case(&seed).await;
                        });
                    }
                )*
            }
        )*
    };
    (@emit @check ($make:expr) $($group:ident { $($case:ident),* $(,)? })*) => {
        $(
            #[allow(dead_code)]
            mod $group {
                #[allow(unused_imports)]
                use super::*;
                $(
                    fn $case() {
                        $crate::__run(async {
                            let seed = $make.await;
                            $crate::$group::$case(&seed).await;
                        });
                    }
                )*
            }
        )*
    };
    (@emit @names $($group:ident { $($case:ident),* $(,)? })*) => {
        &[$($(concat!(stringify!($group), "::", stringify!($case)),)*)*]
    };
    (@$mode:ident $($args:tt)*) => {
        $crate::__cases! { @emit @$mode $($args)*
            packages_create {
                r1_1_the_package_belongs_to_the_header_account,
                r1_2_site_id_assigns_and_r1_12_instances_start_pending,
                r1_3_no_site_id_is_floating,
                r1_2_site_of_another_account_is_site_not_found_404,
                r1_4_unknown_account_is_account_not_found_404,
                r1_5_unknown_product_is_product_not_found_404,
                r1_5_not_resellable_is_invalid_products_428,
                r1_5_product_without_settings_is_product_settings_not_found_428,
                r1_6_subscription_limit_counts_the_family_and_the_request,
                r1_7_several_cycles_and_none_given_is_missing_billing_cycle,
                r1_7_a_single_cycle_product_takes_its_cycle,
                r1_7_unsupported_duration_is_incompatible_billing_cycle,
                r1_7_unoffered_kind_or_recurring_without_duration_is_invalid_billing_cycle,
                a_cycle_count_below_one_is_a_field_violation,
                r1_8_a_site_holds_one_live_instance_per_product_type,
                r1_8_two_products_of_one_type_on_one_site_is_multiple_product_assignments,
                r1_9_a_domain_needs_a_premium_plan_on_the_site_first,
                r1_10_a_reference_instance_is_a_single_use_voucher,
                r1_10_reference_must_be_pending_or_enabled,
                r1_10_reference_must_exist_in_the_callers_family,
                r1_11_create_requires_country_code_on_every_product,
                r1_10_a_reference_serves_only_the_types_its_product_grants,
                products_must_number_1_to_1000,
                create_reports_the_first_broken_rule_in_rule_order,
            }
            dependents {
                a_domain_floats_when_its_plan_leaves_the_site,
                a_domain_floats_when_its_plan_fails_or_awaits_action,
                expiring_products_carry_an_expiration_date,
                an_expired_instance_is_canceled_and_its_dependents_float,
                extend_moves_the_expiration_date_by_whole_cycles,
            }
            packages_read {
                get_package_reads_the_stored_package,
                get_package_of_another_account_is_package_not_found_404,
            }
            packages_update {
                r4_cancel_package_cancels_live_instances_and_keeps_failed_ones,
                r4_canceling_again_changes_nothing,
                cancel_package_of_another_account_is_package_not_found_404,
                e9_update_external_id,
                update_external_id_of_another_account_is_package_not_found_404,
            }
            instances {
                r5_3_assign_moves_between_sites_directly,
                r5_3_a_refused_move_leaves_the_instance_where_it_was,
                r5_4_assign_checks_ownership_type_and_prerequisites,
                r5_5_assign_of_a_canceled_or_failed_instance_is_incompatible_status,
                r6_unassign_makes_floating_and_a_floating_instance_stays,
                r7_cancel_instance_leaves_the_others_and_is_safe_to_repeat,
                instance_of_another_account_is_product_instance_not_found_428,
            }
            adjust {
                r8_adjust_changes_the_billing_or_the_product,
                r8_2_adjust_needs_a_product_or_a_billing,
                r8_4_a_recurring_change_needs_its_cycle_duration,
                r8_3_adjust_swaps_only_within_the_product_type,
                r8_5_adjust_of_an_unknown_or_terminal_instance_is_refused,
                r8_6_adjust_applies_the_catalog_rules_of_create,
                r8_6_adjust_respects_limits_and_prerequisites,
                r8_adjust_billing_resolution_when_swapping,
                r8_discount_code_counts_only_with_a_new_product,
                adjust_of_a_product_that_cannot_be_adjusted_is_428,
            }
            query {
                r3_1_a_main_key_sees_the_family,
                r3_1_a_sub_key_sees_the_header_accounts_family,
                enum_values_in_filters_ignore_case,
                r3_1_another_account_sees_nothing_of_the_family,
                r3_1_an_account_id_filter_narrows,
                filters_select_by_each_kind_of_field,
                r3_2_sorting_defaults_to_newest_first,
                cursor_paging_visits_every_match_once_and_walks_back,
                a_cursor_keeps_the_filter_and_sort_of_its_query,
                a_cursor_never_widens_what_a_key_sees,
                r3_4_offset_paging_returns_total_and_no_cursors,
                paging_defaults_are_100_for_cursors_and_50_for_offsets,
                an_altered_cursor_is_invalid_cursor_400,
            }
            transfer {
                t8_an_allowed_transfer_moves_the_site_to_the_header_account,
                t1_only_strategic_partners_transfer,
                t2_the_target_is_the_callers_account_or_a_sub_account,
                t3_a_pair_off_the_allow_list_is_site_transfer_not_allowed_403,
                t4_unknown_target_is_target_account_id_not_found_428,
                t5_a_site_not_in_the_source_account_is_site_not_found_400,
                t6_a_site_with_a_live_reseller_instance_is_not_transferable_until_canceled,
                t6_external_paid_services_block_a_transfer_and_floating_instances_do_not,
                t9_a_transfer_within_one_account_changes_nothing_when_allowed,
            }
            accounts {
                create_account_makes_a_sub_account_of_the_header_account,
                create_account_from_a_sub_account_is_permission_denied,
                create_account_checks_the_email,
                list_child_accounts_pages_direct_children,
                list_child_accounts_default_limit_is_20,
            }
            sites {
                query_sites_lists_the_header_accounts_sites,
                query_sites_by_ids_answers_only_the_header_accounts,
                query_sites_pages_with_cursors,
            }
            sites_query {
                query_sites_filters_on_every_field_of_the_table,
                query_sites_sorts_and_breaks_ties_by_id,
                query_sites_reaches_the_first_thousand,
                site_object_carries_every_field_and_premium_follows_the_plan,
                count_sites_counts_like_query_sites,
                get_account_reads_the_keys_account_and_its_children,
            }
            auth {
                an_unknown_key_is_unauthenticated_401,
                an_unknown_header_account_is_account_not_found_404,
                a_key_acts_only_on_its_own_account_or_a_sub_account,
                scopes_are_checked_and_manage_implies_read,
            }
            idempotency {
                the_same_key_and_request_replays_the_first_answer,
                the_same_key_with_another_request_is_idempotency_key_reused_409,
                keys_are_forgotten_after_24_hours,
                keys_are_scoped_to_account_and_operation,
            }
            provisioning {
                auto_without_delay_enables_from_the_next_call,
                auto_with_a_delay_enables_once_the_delay_has_passed,
                manual_provisioning_stays_pending_until_moved,
                status_moves_follow_the_lifecycle,
            }
            domains {
                d1_d3_check_availability_answers_taken_and_free_names,
                d4_d5_suggest_checks_the_query_and_the_tlds,
                d6_d7_suggestions_page_and_skip_taken_names,
                d8_d16_connect_a_taken_domain_and_watch_it_propagate,
                d9_d14_refusals_of_create_change_nothing,
                d13_d17_identity_and_the_primary_domain,
                d15_d20_d21_reads_are_per_account,
                d22_d23_the_plan_leaving_the_site_disconnects_its_domain,
            }
            flows {
                f1_build_in_the_team_account_then_hand_over,
                f2_reassign_a_paid_service_to_another_site,
                f3_premium_plan_plus_voucher_add_on,
                f4_diy_onboarding_of_a_new_customer,
                f5_transfer_a_site_that_holds_a_paid_service,
            }
        }
    };
}

/// Every case, as `<group>::<case>`, from the same list [`contract_suite!`] expands.
pub const CASES: &[&str] = __cases!(@names);
