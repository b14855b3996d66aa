package com.revshare.ingest.archfixture.domain;

import com.fasterxml.jackson.databind.JsonNode;

/** Breaks the domain's purity on purpose (see ArchitectureTest): a domain type holding a Jackson tree. */
public record Parsed(JsonNode tree) {
}
