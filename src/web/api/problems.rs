//! The error answers every route shares, as reusable responses of the
//! OpenAPI document (`#/components/responses/…`): each is an RFC 9457
//! problem document, [`ApiError`](crate::web::ApiError) serialized as
//! [`Problem`].

use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder, response::Response};
use utoipa::{ToResponse, ToSchema};

use crate::web::error::Problem;

fn problem(description: &str) -> RefOr<Response> {
    let schema = Ref::from_schema_name(Problem::name());
    let content = ContentBuilder::new().schema(Some(schema)).build();
    ResponseBuilder::new().description(description).content("application/problem+json", content).build().into()
}

macro_rules! problem_response {
    ($($name:ident: $description:literal;)*) => {$(
        pub struct $name;

        impl<'r> ToResponse<'r> for $name {
            fn response() -> (&'r str, RefOr<Response>) {
                (stringify!($name), problem($description))
            }
        }
    )*};
}

problem_response! {
    Unauthorized: "No valid session or token.";
    Forbidden: "Refused by the CSRF check (a cookie request without a matching `X-CSRF-Token`, or from another site).";
    ForInstructors: "Not an instructor's or admin's credentials, or (for a change) refused by the CSRF check.";
    TooLarge: "The upload is over the import limit (`MOCKEXAM_IMPORT_LIMIT_KB`): it was not read further and \
        nothing was stored.";
    NotFound: "No such thing, or not yours.";
    Invalid: "The request was read but cannot be done as asked; `detail` says why.";
    Conflict: "Not possible in the attempt's current state.";
    Unavailable: "The database is not answering; try again in a moment. (A request that takes too long is \
        also answered 503, with an empty body.)";
}
