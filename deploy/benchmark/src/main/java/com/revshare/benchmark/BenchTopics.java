package com.revshare.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import com.revshare.infra.Topics;

/**
 * Creates and deletes the references' own topics. Unlike a single describe after create, it
 * retries until the broker answers for every new partition: right after a create, describe can
 * still fail with UnknownTopicOrPartition.
 */
final class BenchTopics {
    private BenchTopics() {
    }

    static void create(String bootstrap, List<Topics.Spec> specs) {
        try (Admin admin = admin(bootstrap)) {
            List<NewTopic> topics = new ArrayList<>();
            for (Topics.Spec s : specs) {
                topics.add(new NewTopic(s.name(), s.partitions(), (short) 1).configs(s.configs()));
            }
            try {
                admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create " + specs, e.getCause());
                }
            }
            List<String> names = specs.stream().map(Topics.Spec::name).toList();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try {
                    var described = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
                    boolean ready = specs.stream().allMatch(s -> described.get(s.name()).partitions().size() == s.partitions()
                            && described.get(s.name()).partitions().stream().allMatch(p -> p.leader() != null));
                    if (ready) {
                        return;
                    }
                } catch (ExecutionException e) {
                    // not known to the broker yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topics " + names + " not ready within 60 s");
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("topics not created within 60 s", e);
        }
    }

    static void delete(String bootstrap, List<String> names) {
        try (Admin admin = admin(bootstrap)) {
            admin.deleteTopics(names).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.out.println("[benchmark] could not delete topics " + names + ": " + e.getMessage());
        }
    }

    private static Admin admin(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Admin.create(props);
    }
}
