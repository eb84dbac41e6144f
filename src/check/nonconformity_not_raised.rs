//! `nonconformity-not-raised`: a performed audit's `nonconforming` result
//! for a requirement with no nonconformity whose `audit:` is that audit
//! and whose `requirements` name that requirement, one beneath it or one
//! above it. At the result's `req`.

use super::Input;
use crate::diag::Finding;
use crate::resolve::{is_nonconforming, related};

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    let cats = input.catalogues;
    for a in input
        .resolved
        .operation
        .audits
        .iter()
        .filter(|a| a.performed)
    {
        let d = &input.docs[a.doc];
        for (r, q) in d.results().iter().zip(&a.result_reqs) {
            let Some(q) = *q else { continue };
            if !is_nonconforming(r) {
                continue;
            }
            let raised = a.raised.iter().any(|&n| {
                input.docs[n]
                    .reqs_of("requirements")
                    .filter_map(|x| cats.get(&x.key))
                    .any(|x| related(cats, x, q))
            });
            if raised {
                continue;
            }
            out.push(
                Finding::new(
                    "nonconformity-not-raised",
                    &d.file,
                    r.req_pos,
                    format!(
                        "audit {} found {} nonconforming, but no nonconformity records it; raise one: a `nonconformity` document with `audit: {}` and `requirements: [{}]`",
                        d.id, r.req, d.id, r.req
                    ),
                )
                .width(r.req.chars().count()),
            );
        }
    }
}
