//! The API's OpenAPI 3.0 document, written here (pcnkit's own description of what it serves,
//! every schema inline: no remote references, so it validates and can be tested offline).
//! Lists answer with a Page object; refusals with problem+json.

use serde_json::{Value, json};

fn param(name: &str, kind: &str, description: &str) -> Value {
    let schema = match kind {
        "page" => json!({"type": "integer", "minimum": 1, "maximum": crate::query::MAX_PAGE}),
        "per_page" => {
            json!({"type": "integer", "minimum": 1, "maximum": crate::Paging::default().max_per_page})
        }
        "number" => json!({"type": "number", "minimum": 0, "maximum": 1.0e9}),
        "boolean" => json!({"type": "boolean"}),
        "uuid" => json!({"type": "string", "format": "uuid"}),
        "time" => {
            json!({"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"})
        }
        "day" => json!({"type": "string", "enum": ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]}),
        "date-time" => json!({"type": "string", "format": "date-time"}),
        "postcode" => {
            json!({"type": "string", "pattern": "^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$"})
        }
        _ => json!({"type": "string"}),
    };
    json!({"name": name, "in": "query", "required": false, "description": description, "schema": schema})
}

fn list_params(extra: &[Value]) -> Vec<Value> {
    let mut p = vec![
        param(
            "search",
            "string",
            "Words that must all appear in the name, description or organisation.",
        ),
        param("page", "page", "Page number, from 1."),
        param("per_page", "per_page", "Items per page (1 to 1,000)."),
        param(
            "taxonomy_term_id",
            "uuid",
            "Services with this taxonomy term.",
        ),
        param(
            "taxonomy_id",
            "uuid",
            "Services with any term of this taxonomy.",
        ),
        param(
            "minimum_age",
            "number",
            "Services with a minimum age of at least this.",
        ),
        param(
            "maximum_age",
            "number",
            "Services with a maximum age of at most this.",
        ),
        param(
            "start_time",
            "string",
            "Open at or before this time (HH:MM).",
        ),
        param(
            "end_time",
            "string",
            "Open until this time or later (HH:MM).",
        ),
        param("day", "string", "Open on this day (MO … SU)."),
        param(
            "modified_after",
            "string",
            "Modified on or after this date-time (RFC 3339).",
        ),
        param("organization_id", "uuid", "Services of this organisation."),
        param("full", "boolean", "Fully nested items."),
        param(
            "minimal",
            "boolean",
            "Only id and modified_date of each service.",
        ),
    ];
    p.extend(extra.iter().cloned());
    p
}

fn page_of(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}}
    })
}

fn object(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}}}
    })
}

fn problems() -> Value {
    let p = json!({"content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}});
    let with = |d: &str| {
        let mut x = p.clone();
        if let Some(o) = x.as_object_mut() {
            o.insert("description".into(), json!(d));
        }
        x
    };
    json!({
        "400": with("A parameter that cannot be used."),
        "404": with("Nothing with this id."),
        "408": with("The request took longer than the time limit."),
        "413": with("A request body over the limit.")
    })
}

fn get(summary: &str, operation: &str, params: Vec<Value>, ok: Value, tag: &str) -> Value {
    let mut responses = problems();
    if let Some(r) = responses.as_object_mut() {
        r.insert("200".into(), ok);
    }
    json!({"get": {"summary": summary, "operationId": operation, "tags": [tag], "parameters": params, "responses": responses}})
}

fn by_id(summary: &str, operation: &str, kind: &str, tag: &str, example: Option<&str>) -> Value {
    let mut id = json!({"name": "id", "in": "path", "required": true, "description": format!("The {kind}'s id."), "schema": {"type": "string"}});
    if let (Some(e), Some(obj)) = (example, id.as_object_mut()) {
        obj.insert("example".into(), json!(e));
    }
    get(
        summary,
        operation,
        vec![id],
        object(&format!("The {kind}.")),
        tag,
    )
}

/// A `{…, "rows": [...]}` answer.
fn rows(description: &str, method: bool) -> Value {
    let key = if method { "method" } else { "year" };
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"type": "object", "required": [key, "rows"], "properties": {
            key: {"type": "string"}, "rows": {"type": "array", "items": {"type": "object"}}
        }}}}
    })
}

/// A request type's JSON Schema, in OpenAPI 3.0's dialect and inline (from the type itself,
/// so the document cannot drift from what the server parses).
fn schema_of<T: schemars::JsonSchema>() -> Value {
    let generator = schemars::generate::SchemaSettings::openapi3()
        .with(|s| {
            s.inline_subschemas = true;
            s.meta_schema = None;
        })
        .into_generator();
    let mut v = generator.into_root_schema_for::<T>().to_value();
    if let Some(o) = v.as_object_mut() {
        o.remove("$schema");
        o.remove("title");
    }
    v
}

/// A method's body: its fields (from its request type) beside `rows` (and ISR's `totals`).
fn method_body<T: schemars::JsonSchema>(totals: bool) -> Value {
    let mut schema = schema_of::<T>();
    let rows = json!({"type": "array", "minItems": 1, "items": {"type": "object"}, "description": "The data: one object per row, columns by name."});
    if let Some(o) = schema.as_object_mut() {
        if let Some(p) = o.get_mut("properties").and_then(Value::as_object_mut) {
            p.insert("rows".into(), rows.clone());
            if totals {
                let mut t = rows;
                t["description"] = json!(
                    "Observed totals per group (R's obs_df), with the group columns and `count`."
                );
                p.insert("totals".into(), t);
            }
        }
        match o.get_mut("required").and_then(Value::as_array_mut) {
            Some(r) => r.push(json!("rows")),
            None => {
                o.insert("required".into(), json!(["rows"]));
            }
        }
    }
    json!({"required": true, "content": {
        "application/json": {"schema": schema},
        crate::ics::ARROW_STREAM: {"schema": {"type": "string", "format": "binary"}}
    }})
}

fn problem(d: &str) -> Value {
    json!({"description": d, "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}})
}

/// A computed table: `{key, rows}` as JSON, or an Arrow IPC stream when asked for.
fn table_answer(description: &str, key: &str) -> Value {
    let mut r = rows(description, key == "method");
    if let Some(c) = r.get_mut("content").and_then(Value::as_object_mut) {
        c.insert(
            crate::ics::ARROW_STREAM.into(),
            json!({"schema": {"type": "string", "format": "binary"}}),
        );
    }
    r
}

fn post(summary: &str, operation: &str, params: Vec<Value>, body: Value, ok: Value) -> Value {
    let mut responses = serde_json::Map::new();
    responses.insert("200".into(), ok);
    responses.insert(
        "400".into(),
        problem("A body or field that cannot be used (the detail names it)."),
    );
    responses.insert(
        "408".into(),
        problem("The computation took longer than the time limit."),
    );
    responses.insert("413".into(), problem("A body over the limit (8 MiB)."));
    responses.insert(
        "422".into(),
        problem("Data the method cannot use (the detail names it)."),
    );
    json!({"post": {"summary": summary, "operationId": operation, "tags": ["ics-api"], "parameters": params, "requestBody": body, "responses": Value::Object(responses)}})
}

/// The paths of the HTTP API for ICS systems (`/api/v1`).
fn ics_paths() -> Value {
    use pcnkit_indicators::request as r;
    let year = json!({"name": "year", "in": "query", "required": true, "description": "Financial year, e.g. 2025/26.", "schema": {"type": "string", "pattern": "^20[0-9]{2}/[0-9]{2}$"}});
    let population = |name: &str, required: bool, d: &str| json!({"name": name, "in": "query", "required": required, "description": d, "schema": {"type": "number", "minimum": 0, "maximum": 1.0e7}});
    let options = json!({"name": "options", "in": "query", "required": false, "description": "With an Arrow IPC stream as the body: the method's fields as a JSON object.", "schema": {"type": "string"}});
    let mut paths = serde_json::Map::new();
    paths.insert(
        "/api/v1/arrs/figures".into(),
        get(
            "Every ARRS and Network Contract DES rule figure of a year, with its provenance",
            "getArrsFigures",
            vec![year.clone()],
            rows("The figures, each with its source and confidence.", false),
            "ics-api",
        ),
    );
    paths.insert(
        "/api/v1/arrs/entitlement".into(),
        get(
            "A PCN's entitlement, line by line",
            "getArrsEntitlement",
            vec![
                year,
                population("weighted", true, "The PCN's weighted population."),
                population("registered", false, "Registered patients."),
                population("adjusted", false, "Adjusted population."),
            ],
            rows(
                "The entitlement's lines (a figure the sources lack is null, with a note).",
                false,
            ),
            "ics-api",
        ),
    );
    let member = json!({"type": "object", "required": ["id", "role", "wte", "start", "annual_cost"], "properties": {
        "id": {"type": "string"}, "pcn": {"type": "string"}, "role": {"type": "string", "description": "A role id of the rule tables, e.g. clinical_pharmacist."},
        "wte": {"type": "string", "description": "Whole-time equivalent, at most 1 (text or a number)."},
        "start": {"type": "string", "format": "date"}, "end": {"type": "string", "format": "date"},
        "annual_cost": {"type": "string", "description": "Pounds a year at this WTE, with on-costs (text or a number)."},
        "cct_date": {"type": "string", "format": "date"}, "area": {"type": "string"},
        "in_baseline": {"type": "boolean"}, "in_pcn_previous_12_months": {"type": "boolean"},
        "mental_health_provider_agreement": {"type": "boolean"}, "approved_apprenticeship": {"type": "boolean"}
    }, "additionalProperties": false});
    let claims = json!({"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["year", "staff"], "additionalProperties": false, "properties": {
        "year": {"type": "string", "pattern": "^20[0-9]{2}/[0-9]{2}$"},
        "pcn": {"type": "string", "description": "The PCN (every member of staff must be its)."},
        "weighted": {"type": "string", "description": "The PCN's weighted population (absent: entitlement and headroom unknown)."},
        "registered": {"type": "string"}, "adjusted": {"type": "string"},
        "lines": {"type": "boolean", "description": "One row per member of staff per month instead of the pools."},
        "staff": {"type": "array", "items": member}
    }}}}});
    paths.insert(
        "/api/v1/arrs/claims".into(),
        post(
            "A PCN's ARRS claims for a year from its staff",
            "postArrsClaims",
            vec![],
            claims,
            table_answer(
                "Pool use and headroom (or the claim lines); an unknown figure is null.",
                "year",
            ),
        ),
    );
    let methods: [(&str, &str, Value); 15] = [
        (
            "proportion",
            "Proportions with Wilson score limits",
            method_body::<r::PairRequest>(false),
        ),
        (
            "rate",
            "Crude rates (exact Poisson below 10 events, Byar's from 10)",
            method_body::<r::RateRequest>(false),
        ),
        (
            "mean",
            "Means with Student's t limits",
            method_body::<r::MeanRequest>(false),
        ),
        (
            "dsr",
            "Directly standardised rates (Dobson)",
            method_body::<r::DsrRequest>(false),
        ),
        (
            "isr",
            "Indirectly standardised ratios or rates",
            method_body::<r::IsrRequest>(true),
        ),
        (
            "quantiles",
            "OHID deprivation quantiles",
            method_body::<r::QuantilesRequest>(false),
        ),
        (
            "sii",
            "Slope and relative index of inequality",
            method_body::<r::SiiRequest>(false),
        ),
        (
            "funnel_limits",
            "Funnel plot control limits",
            method_body::<r::FunnelRequest>(false),
        ),
        (
            "funnel_significance",
            "Each row's significance against the funnel",
            method_body::<r::FunnelRequest>(false),
        ),
        (
            "funnel_points",
            "Each row's point on a rate funnel",
            method_body::<r::FunnelPointsRequest>(false),
        ),
        (
            "life_expectancy",
            "Life expectancy (Chiang II)",
            method_body::<r::LifeExpectancyRequest>(false),
        ),
        (
            "disclose",
            "Small-number disclosure control",
            method_body::<r::DiscloseRequest>(false),
        ),
        (
            "benchmark",
            "Benchmarking against a comparator, or quintiles",
            method_body::<r::BenchmarkRequest>(false),
        ),
        (
            "trend",
            "Fingertips recent trends",
            method_body::<r::TrendRequest>(false),
        ),
        (
            "spc",
            "XmR (SPC) charts",
            method_body::<r::SpcRequest>(false),
        ),
    ];
    for (name, summary, body) in methods {
        let operation = format!("postIndicator_{name}");
        paths.insert(
            format!("/api/v1/indicators/{name}"),
            post(
                summary,
                &operation,
                vec![options.clone()],
                body,
                table_answer("The method's table.", "method"),
            ),
        );
    }
    Value::Object(paths)
}

/// Ids of the register being served, given as the path parameters' examples (so a client or a
/// test tool can try a real one).
#[derive(Debug, Clone, Default)]
pub struct Examples {
    /// A service.
    pub service: Option<String>,
    /// A service at a location.
    pub service_at_location: Option<String>,
    /// A taxonomy.
    pub taxonomy: Option<String>,
    /// A taxonomy term.
    pub taxonomy_term: Option<String>,
    /// An organisation.
    pub organization: Option<String>,
}

/// The document, with `base_url` as its server.
pub fn document(base_url: &str, examples: &Examples) -> Value {
    let mut doc = oruk_document(base_url, examples);
    if let (Some(paths), Value::Object(ics)) = (
        doc.get_mut("paths").and_then(Value::as_object_mut),
        ics_paths(),
    ) {
        paths.extend(ics);
    }
    doc
}

fn oruk_document(base_url: &str, examples: &Examples) -> Value {
    let sal_params = list_params(&[
        param(
            "postcode",
            "string",
            "A postcode: with proximity, only locations within that many metres of its centroid, nearest first.",
        ),
        param(
            "proximity",
            "number",
            "Metres from the postcode's centroid.",
        ),
    ]);
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "pcnkit community asset register: Open Referral UK 3.0",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The endpoints of the Open Referral UK profile of HSDS 3.0 (tag `uk-profile`), HSDS 3.0's organizations (tag `hsds-optional`), and pcnkit's API for ICS systems under /api/v1 (tag `ics-api`: ARRS figures with provenance, entitlement, indicator methods). Lists are Page objects; refused requests are RFC 9457 problem details.",
        },
        "servers": [{"url": base_url}],
        "paths": {
            "/": {"get": {"summary": "What this API is", "operationId": "getAPIMetaInformation", "tags": ["uk-profile"], "responses": {"200": {"description": "The API's HSDS version, profile and OpenAPI document.", "content": {"application/json": {"schema": {"type": "object", "required": ["version", "profile", "openapi_url"], "properties": {"version": {"type": "string"}, "profile": {"type": "string"}, "openapi_url": {"type": "string"}}}}}}}}},
            "/services": get("Paginated services", "getPaginatedListOfServices", list_params(&[]), page_of("A page of services."), "uk-profile"),
            "/services/{id}": by_id("A fully nested service", "getFullyNestedServiceById", "service", "uk-profile", examples.service.as_deref()),
            "/service_at_locations": get("Paginated services at locations", "getPaginatedListOfServiceAtLocation", sal_params, page_of("A page of services at locations."), "uk-profile"),
            "/service_at_locations/{id}": by_id("A service at a location, nested", "getServiceAtLocationWithNestedDataById", "service_at_location", "uk-profile", examples.service_at_location.as_deref()),
            "/taxonomies": get("Paginated taxonomies", "getPaginatedListOfTaxonomies", vec![param("page", "page", "Page number, from 1."), param("per_page", "per_page", "Items per page.")], page_of("A page of taxonomies."), "uk-profile"),
            "/taxonomies/{id}": by_id("A taxonomy", "getTaxonomyById", "taxonomy", "uk-profile", examples.taxonomy.as_deref()),
            "/taxonomy_terms": get("Paginated taxonomy terms", "getPaginatedListOfTaxonomyTerms", vec![param("page", "page", "Page number, from 1."), param("per_page", "per_page", "Items per page."), param("taxonomy_id", "uuid", "Terms of this taxonomy.")], page_of("A page of taxonomy terms."), "uk-profile"),
            "/taxonomy_terms/{id}": by_id("A taxonomy term", "getTaxonomyTermById", "taxonomy_term", "uk-profile", examples.taxonomy_term.as_deref()),
            "/organizations": get("Paginated organisations", "getPaginatedListOfOrganizations", vec![param("search", "string", "Words in the name."), param("page", "page", "Page number, from 1."), param("per_page", "per_page", "Items per page.")], page_of("A page of organisations."), "hsds-optional"),
            "/organizations/{id}": by_id("An organisation with its services", "getOrganizationById", "organization", "hsds-optional", examples.organization.as_deref()),
        },
        "components": {"schemas": {
            "Page": {"type": "object", "required": ["total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"], "properties": {
                "total_items": {"type": "integer"}, "total_pages": {"type": "integer"}, "page_number": {"type": "integer"}, "size": {"type": "integer"},
                "first_page": {"type": "boolean"}, "last_page": {"type": "boolean"}, "empty": {"type": "boolean"},
                "contents": {"type": "array", "items": {"type": "object"}}
            }},
            "Problem": {"type": "object", "required": ["type", "title", "status", "detail"], "properties": {
                "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"}, "detail": {"type": "string"}
            }}
        }}
    })
}
