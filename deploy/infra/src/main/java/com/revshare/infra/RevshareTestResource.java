package com.revshare.infra;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a {@code @QuarkusTest} at the JVM's real Kafka broker and PostgreSQL. Init arg
 * {@code database} names the service's database (created if absent). One boot per test module:
 * every test class of a module uses this resource with the same arguments.
 */
public class RevshareTestResource implements QuarkusTestResourceLifecycleManager {
    private String database = "revshare";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        return new HashMap<>(Infrastructure.shared().quarkusConfig(database));
    }

    @Override
    public void stop() {
        // the processes belong to the JVM and are stopped by its shutdown hooks
    }
}
