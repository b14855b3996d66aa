package com.revshare.reporting.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import com.revshare.reporting.application.DeliveredRecord;
import com.revshare.reporting.application.EntryReplaySource;
import com.revshare.reporting.config.TopicsConfig;

import jakarta.enterprise.context.ApplicationScoped;

/** A rebuild's pass over revshare.ledger.entries: a group-less consumer assigned every partition from offset 0. */
@ApplicationScoped
public class KafkaEntryReplay implements EntryReplaySource {
    private final KafkaClients clients;
    private final TopicsConfig topics;

    public KafkaEntryReplay(KafkaClients clients, TopicsConfig topics) {
        this.clients = clients;
        this.topics = topics;
    }

    @Override
    public Replay open(int maxPollRecords) {
        KafkaConsumer<String, byte[]> c = clients.consumer("revshare-reporting-rebuild", null,
                Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords));
        try {
            List<TopicPartition> partitions = c.partitionsFor(topics.ledgerEntries()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            return new Pass(c, partitions);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private static final class Pass implements Replay {
        private final KafkaConsumer<String, byte[]> consumer;
        private final List<TopicPartition> partitions;
        private Map<TopicPartition, Long> end;

        Pass(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions) {
            this.consumer = consumer;
            this.partitions = partitions;
            this.end = consumer.endOffsets(partitions);
        }

        @Override
        public long lag() {
            long lag = 0;
            for (TopicPartition tp : partitions) {
                lag += Math.max(0, end.getOrDefault(tp, 0L) - consumer.position(tp));
            }
            return lag;
        }

        @Override
        public void refreshEnd() {
            end = consumer.endOffsets(partitions);
        }

        @Override
        public List<DeliveredRecord> poll(Duration timeout) {
            ConsumerRecords<String, byte[]> records = consumer.poll(timeout);
            List<DeliveredRecord> batch = new ArrayList<>(records.count());
            for (ConsumerRecord<String, byte[]> r : records) {
                batch.add(new DeliveredRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value()));
            }
            return batch;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
