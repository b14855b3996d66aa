package com.revshare.benchmark;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import com.revshare.infra.Topics;

/**
 * Reads the pipeline's progress from the broker with the AdminClient: each topic's end offset
 * (summed over partitions) and each consumer group's committed offset on its input topic, so
 * that lag = end - committed per group.
 */
final class KafkaProbe implements AutoCloseable {
    /** The consumer groups of SPEC's services and the topic each consumes. */
    static final Map<String, String> GROUP_INPUTS = new LinkedHashMap<>();
    static {
        GROUP_INPUTS.put("revshare-ingest", Topics.USAGE_RAW);
        GROUP_INPUTS.put("revshare-ledger", Topics.USAGE_ACCEPTED);
        GROUP_INPUTS.put("revshare-reporting", Topics.LEDGER_ENTRIES);
    }
    static final List<String> TOPICS = List.of(Topics.USAGE_RAW, Topics.USAGE_ACCEPTED, Topics.USAGE_REJECTED,
            Topics.LEDGER_ENTRIES);

    private final Admin admin;
    private final Map<String, List<TopicPartition>> partitions = new java.util.concurrent.ConcurrentHashMap<>();

    KafkaProbe(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        this.admin = Admin.create(props);
    }

    Admin admin() {
        return admin;
    }

    List<TopicPartition> partitionsOf(String topic) {
        return partitions.computeIfAbsent(topic, t -> {
            try {
                TopicDescription d = admin.describeTopics(List.of(t)).allTopicNames().get(15, TimeUnit.SECONDS).get(t);
                return d.partitions().stream().map(p -> new TopicPartition(t, p.partition())).toList();
            } catch (Exception e) {
                throw new IllegalStateException("cannot describe " + t, e);
            }
        });
    }

    /** The sum of the end offsets of each topic. */
    Map<String, Long> endOffsets(List<String> topics) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (String t : topics) {
            partitionsOf(t).forEach(tp -> request.put(tp, OffsetSpec.latest()));
        }
        try {
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> r = admin.listOffsets(request).all()
                    .get(15, TimeUnit.SECONDS);
            Map<String, Long> sums = new LinkedHashMap<>();
            topics.forEach(t -> sums.put(t, 0L));
            r.forEach((tp, info) -> sums.merge(tp.topic(), info.offset(), Long::sum));
            return sums;
        } catch (Exception e) {
            throw new IllegalStateException("cannot list end offsets", e);
        }
    }

    /** Each group's committed offsets on its input topic, summed over partitions (0 before its first commit). */
    Map<String, Long> committed(Map<String, String> groupInputs) {
        Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
        groupInputs.forEach((g, t) -> specs.put(g, new ListConsumerGroupOffsetsSpec().topicPartitions(partitionsOf(t))));
        Map<String, Long> sums = new LinkedHashMap<>();
        try {
            var result = admin.listConsumerGroupOffsets(specs);
            for (String g : groupInputs.keySet()) {
                long sum = 0;
                Map<TopicPartition, OffsetAndMetadata> offsets = result.partitionsToOffsetAndMetadata(g).get(15, TimeUnit.SECONDS);
                for (OffsetAndMetadata o : offsets.values()) {
                    sum += o == null ? 0 : o.offset();
                }
                sums.put(g, sum);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot list committed offsets", e);
        }
        return sums;
    }

    @Override
    public void close() {
        admin.close();
    }
}
