//! What a backup file says of itself, read from `pg_restore --data-only
//! -f -` (the plain SQL of its data): the rows of each table, counted per
//! `COPY` block, and the schema version, the highest in `_sqlx_migrations`.
//! Also the small pure helpers of the backup commands.

use std::collections::BTreeMap;
use std::io::BufRead;

/// The migrations table, as `pg_dump` names it.
const MIGRATIONS_TABLE: &str = "_sqlx_migrations";

/// The data a backup holds, as its own text describes it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Contents {
    /// Rows per table (without the `public.` schema), from the `COPY` blocks.
    pub rows: BTreeMap<String, u64>,
    /// The highest migration applied to the database backed up; None when
    /// the backup holds no migrations table (not a mockexam database).
    pub schema_version: Option<i64>,
}

/// Reads the plain SQL of a backup's data. In `COPY ... FROM stdin;` data
/// every row is one line (line breaks inside values are escaped as `\n`),
/// ended by a line `\.`.
pub fn read_contents(sql: impl BufRead) -> std::io::Result<Contents> {
    let mut contents = Contents::default();
    let mut current: Option<String> = None;
    for line in sql.lines() {
        let line = line?;
        match &current {
            None => {
                if let Some(rest) = line.strip_prefix("COPY ")
                    && line.ends_with("FROM stdin;")
                {
                    let name = rest.split_whitespace().next().unwrap_or_default();
                    let table = name.strip_prefix("public.").unwrap_or(name).trim_matches('"').to_string();
                    contents.rows.insert(table.clone(), 0);
                    current = Some(table);
                }
            }
            Some(_) if line == "\\." => current = None,
            Some(table) => {
                *contents.rows.get_mut(table).expect("inserted at COPY") += 1;
                if table == MIGRATIONS_TABLE
                    && let Some(version) = line.split('\t').next().and_then(|v| v.parse::<i64>().ok())
                {
                    contents.schema_version = contents.schema_version.max(Some(version));
                }
            }
        }
    }
    if let Some(table) = current {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            format!("the data of table {table} ends before its end mark"),
        ));
    }
    Ok(contents)
}

/// The same connection URL naming another database: the path after the
/// host is replaced, the query (`?host=...`, `sslmode=...`) kept.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_from = base.find("://").map_or(0, |i| i + 3);
    let path_from = base[authority_from..].find('/').map_or(base.len(), |i| authority_from + i);
    let mut out = format!("{}/{database}", &base[..path_from]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// `mockexam-YYYYMMDD-HHMMSS.dump`, at `now` (UTC).
pub fn default_file_name(now: time::OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year][month][day]-[hour][minute][second]");
    format!("mockexam-{}.dump", now.format(&format).expect("a date formats"))
}

/// The tables whose rows differ between the backup's text and a restored
/// copy: (table, in the file, restored).
pub fn mismatches(file: &BTreeMap<String, u64>, restored: &BTreeMap<String, u64>) -> Vec<(String, u64, u64)> {
    file.iter()
        .filter_map(|(table, &n)| {
            let got = restored.get(table).copied().unwrap_or(0);
            (got != n).then(|| (table.clone(), n, got))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQL: &str = "--\n-- PostgreSQL database dump\n--\n\
        COPY public._sqlx_migrations (version, description, installed_on) FROM stdin;\n\
        1\taccounts\t2026-01-01\n14\thot paths\t2026-01-02\n3\tprogress\t2026-01-01\n\\.\n\n\
        COPY public.users (id, email) FROM stdin;\n\
        a\tkim@example.org\nb\tlee@example.org\n\\.\n\
        COPY public.answers (id) FROM stdin;\n\\.\n";

    #[test]
    fn rows_are_counted_per_table_and_the_schema_version_is_the_highest_migration() {
        let contents = read_contents(SQL.as_bytes()).unwrap();
        assert_eq!(contents.schema_version, Some(14));
        assert_eq!(contents.rows["users"], 2);
        assert_eq!(contents.rows["_sqlx_migrations"], 3);
        assert_eq!(contents.rows["answers"], 0, "an empty table is still listed");
    }

    #[test]
    fn data_cut_off_inside_a_table_is_an_error() {
        let cut = &SQL[..SQL.find("b\tlee").unwrap()];
        let error = read_contents(cut.as_bytes()).unwrap_err();
        assert!(error.to_string().contains("users"), "{error}");
    }

    #[test]
    fn a_backup_without_migrations_has_no_schema_version() {
        let sql = "COPY public.users (id) FROM stdin;\na\n\\.\n";
        assert_eq!(read_contents(sql.as_bytes()).unwrap().schema_version, None);
    }

    #[test]
    fn another_database_keeps_host_credentials_and_query() {
        assert_eq!(with_database("postgres://u:p@db:5432/exam", "scratch"), "postgres://u:p@db:5432/scratch");
        assert_eq!(
            with_database("postgres://mockexam@localhost/mockexam?host=/srv/pg", "s"),
            "postgres://mockexam@localhost/s?host=/srv/pg"
        );
        assert_eq!(with_database("postgres://db", "s"), "postgres://db/s");
        assert_eq!(with_database("postgresql://db/?sslmode=require", "s"), "postgresql://db/s?sslmode=require");
    }

    #[test]
    fn the_default_name_carries_the_date_and_time() {
        let at = time::macros::datetime!(2026-11-30 07:05:09 UTC);
        assert_eq!(default_file_name(at), "mockexam-20261130-070509.dump");
    }

    #[test]
    fn only_differing_tables_are_mismatches() {
        let file = BTreeMap::from([("users".to_string(), 2), ("answers".to_string(), 5)]);
        let restored = BTreeMap::from([("users".to_string(), 2), ("answers".to_string(), 4)]);
        assert_eq!(mismatches(&file, &restored), vec![("answers".to_string(), 5, 4)]);
    }
}
