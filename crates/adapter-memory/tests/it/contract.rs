//! The contract suite (`reseller-contract`) on the in-memory Wix: every case of the
//! suite, each on a fresh `MemoryWix`, as one test named `<clock>::<group>::<case>`.
//! It runs twice: on the system clock (time passes between calls, as on the
//! emulator) and on a stopped clock with sequential ids (every run the same).

mod system_clock {
    reseller_contract::contract_suite!(async { adapter_memory::MemoryWix::builder().build() });
}

mod stopped_clock {
    use std::sync::Arc;

    use reseller_domain::Timestamp;
    use reseller_ports::{ManualClock, SequentialIds};

    fn wix() -> adapter_memory::MemoryWix {
        let start = Timestamp::parse_rfc3339("2026-01-01T00:00:00.000Z").expect("a date");
        adapter_memory::MemoryWix::builder()
            .clock(Arc::new(ManualClock::new(start)))
            .ids(Arc::new(SequentialIds::new(0x5eed)))
            .build()
    }

    reseller_contract::contract_suite!(async { wix() });
}
