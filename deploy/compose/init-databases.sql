-- one database per service, as the local run creates them (Flyway creates the schemas at start)
CREATE DATABASE revshare_ingest;
CREATE DATABASE revshare_ledger;
CREATE DATABASE revshare_reporting;
