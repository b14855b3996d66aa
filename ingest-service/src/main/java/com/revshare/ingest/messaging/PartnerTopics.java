package com.revshare.ingest.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

import com.revshare.ingest.application.IngestMetrics;
import com.revshare.ingest.config.IngestConfig;
import com.revshare.ingest.config.TopicsConfig;
import com.revshare.platform.PollLoop;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Gives every registered partner its own raw topic {@code <prefix><partnerId>} (SPEC §2.4): the partner
 * registry's reader hands over each partner it reads, and one thread creates the missing topics with the
 * Admin client, in batches, as soon as they are asked for (an existing topic is fine: every instance asks).
 * A failed creation is retried after a back-off until it succeeds. Partitions and retention come from
 * {@link IngestConfig} (retention as the shared raw topic's, 7 days).
 */
@ApplicationScoped
public class PartnerTopics {
    private static final Logger LOG = Logger.getLogger(PartnerTopics.class);
    private static final Pattern PARTNER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");

    private final KafkaClients clients;
    private final IngestConfig config;
    private final IngestMetrics metrics;
    private final String prefix;
    private final String sharedTopic;
    private final Set<String> created = ConcurrentHashMap.newKeySet();
    private final LinkedBlockingQueue<String> wanted = new LinkedBlockingQueue<>();
    private final PollLoop loop = new PollLoop("ingest-partner-topics");

    public PartnerTopics(KafkaClients clients, IngestConfig config, IngestMetrics metrics, TopicsConfig topics) {
        this.clients = clients;
        this.config = config;
        this.metrics = metrics;
        this.prefix = topics.usageRawPartnerPrefix();
        this.sharedTopic = topics.usageRaw();
    }

    /** The topic of a partner. */
    public String topicOf(String partnerId) {
        return prefix + partnerId;
    }

    /** The partner whose own topic this is, or empty for the shared raw topic (or any other). */
    public Optional<String> partnerOf(String topic) {
        if (!topic.startsWith(prefix)) {
            return Optional.empty();
        }
        String partner = topic.substring(prefix.length());
        return PARTNER_ID.matcher(partner).matches() ? Optional.of(partner) : Optional.empty();
    }

    /** What the usage consumers subscribe to: the shared raw topic and every partner topic. */
    public Pattern subscription() {
        return Pattern.compile(Pattern.quote(sharedTopic) + "|" + Pattern.quote(prefix) + "[a-z0-9][a-z0-9-]{1,62}");
    }

    /** Asks for the partner's topic (returns at once; created within about one Admin round trip). */
    public void ensure(String partnerId) {
        if (PARTNER_ID.matcher(partnerId).matches() && !created.contains(partnerId)) {
            wanted.add(partnerId);
            loop.wake();
        }
    }

    void start(@Observes StartupEvent event) {
        loop.start(this::run);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        loop.stop();
    }

    private void run() {
        Admin admin = null;
        Backoff backoff = new Backoff(config.retryBackoffInitialMs(), config.retryBackoffMaxMs(), loop);
        try {
            while (loop.running()) {
                String first = wanted.poll();
                if (first == null) {
                    // ensure() wakes the loop; the second is only a safety net, as the queue's poll was before
                    loop.pause(1000);
                    continue;
                }
                List<String> batch = new ArrayList<>();
                batch.add(first);
                wanted.drainTo(batch, 999);
                batch.removeIf(created::contains);
                if (batch.isEmpty()) {
                    continue;
                }
                try {
                    if (admin == null) {
                        admin = clients.admin("revshare-ingest-partner-topics");
                    }
                    create(admin, batch);
                    backoff.reset();
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    metrics.loopError("partner-topics");
                    LOG.warnf("partner topics %s not created yet, retrying: %s", batch, e.toString());
                    wanted.addAll(batch);
                    if (admin != null) {
                        admin.close();
                        admin = null;
                    }
                    backoff.pause();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (admin != null) {
                admin.close();
            }
        }
    }

    private void create(Admin admin, List<String> partners) throws InterruptedException, ExecutionException {
        List<NewTopic> topics = partners.stream().map(p -> new NewTopic(topicOf(p),
                Optional.of(config.partnerTopicPartitions()), Optional.empty())
                .configs(Map.of("retention.ms", Long.toString(config.partnerTopicRetentionMs())))).toList();
        Exception failure = null;
        for (var e : admin.createTopics(topics).values().entrySet()) {
            String partner = e.getKey().substring(prefix.length());
            try {
                e.getValue().get(config.publishTimeoutMs(), TimeUnit.MILLISECONDS);
                created.add(partner);
                LOG.infof("created partner topic %s", e.getKey());
            } catch (ExecutionException ex) {
                if (ex.getCause() instanceof TopicExistsException) {
                    created.add(partner);
                } else {
                    failure = ex;
                }
            } catch (java.util.concurrent.TimeoutException ex) {
                failure = ex;
            }
        }
        if (failure != null) {
            throw new ExecutionException("some partner topics were not created", failure);
        }
    }
}
