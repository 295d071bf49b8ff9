//! Fuzzes the Query API's form decoder: arbitrary bytes as a form body and query string, then
//! every accessor the operations use (scalars, numbers, booleans, `Name.member.N` lists and
//! structures, tags). Nothing may panic, and what is decoded reads back the same.

#![no_main]

use libfuzzer_sys::fuzz_target;

use ferriam::server::query_api::params::Params;

fuzz_target!(|data: &[u8]| {
    let mut params = Params::decode(data);
    params.extend_from(data);
    for name in ["Action", "UserName", "MaxItems", "Tags", "PolicyArns", "ContextEntries"] {
        let _ = params.get(name);
        let _ = params.required(name);
        let _ = params.int(name);
        let _ = params.bool(name);
        let _ = params.list(name);
        for member in params.members(name) {
            let _ = member.int("ContextKeyValues");
            let _ = member.list("ContextKeyValues");
        }
        let _ = params.tags(name);
    }
    // Every decoded pair reads back unchanged.
    for (key, value) in form_urlencoded::parse(data) {
        let again = Params::decode(
            form_urlencoded::Serializer::new(String::new())
                .append_pair(&key, &value)
                .finish()
                .as_bytes(),
        );
        assert_eq!(again.get(&key), Some(value.as_ref()));
    }
});
