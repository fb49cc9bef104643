# Build: the Rust toolchain, with the .sqlx offline query data.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock rustfmt.toml ./
COPY .cargo .cargo
COPY .sqlx .sqlx
COPY src src
COPY migrations migrations
COPY templates templates
COPY static static
ENV SQLX_OFFLINE=true
RUN cargo build --release --locked

# Run: a small Debian with only the binary, the bundled content and a
# non-root user. Templates, static files and migrations are compiled in.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /app mockexam
WORKDIR /app
COPY --from=build /src/target/release/mockexam /usr/local/bin/mockexam
COPY content content
USER mockexam
ENV MOCKEXAM_ADDR=0.0.0.0:8080 MOCKEXAM_LOG_JSON=true
EXPOSE 8080
HEALTHCHECK CMD ["/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ok <&3"]
ENTRYPOINT ["mockexam"]
CMD ["serve"]
