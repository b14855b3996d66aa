package com.revshare.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * A small Kustomize renderer for exactly the features deploy/kubernetes uses (no Kustomize
 * implementation for the JVM is published on Maven Central): {@code resources} (files and
 * directories holding a kustomization.yaml, each directory rendered first), {@code namespace},
 * {@code images} (newName/newTag), {@code patches} (a strategic-merge patch from a file, matched by
 * apiVersion/kind/name; or an inline JSON 6902 patch with a kind/name target) and
 * {@code configMapGenerator} (files, labels, only with {@code disableNameSuffixHash: true}).
 * Anything else in a kustomization fails the rendering, so a manifest cannot rely on a feature that
 * this renderer would silently ignore. Strategic merge here: maps merge recursively, a null value
 * deletes the key, lists of maps with a "name" merge by name, other lists are replaced.
 */
final class Kustomize {
    static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "resources", "namespace", "images",
            "patches", "configMapGenerator");

    private Kustomize() {
    }

    /** Renders the kustomization in {@code dir}: every resource, in order, as a JSON tree. */
    static List<ObjectNode> render(Path dir) {
        JsonNode k = read(dir.resolve("kustomization.yaml")).get(0);
        k.fieldNames().forEachRemaining(f -> {
            if (!SUPPORTED.contains(f)) {
                throw new IllegalArgumentException(dir + "/kustomization.yaml: '" + f + "' is not supported by this renderer");
            }
        });
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode r : k.path("resources")) {
            Path p = inside(dir, r.asText());
            if (Files.isDirectory(p)) {
                out.addAll(render(p));
            } else {
                for (JsonNode doc : read(p)) {
                    out.add(object(doc, p));
                }
            }
        }
        for (JsonNode g : k.path("configMapGenerator")) {
            out.add(configMap(dir, g));
        }
        for (JsonNode patch : k.path("patches")) {
            applyPatch(dir, out, patch);
        }
        for (JsonNode image : k.path("images")) {
            applyImage(out, image);
        }
        if (k.hasNonNull("namespace")) {
            for (ObjectNode r : out) {
                ((ObjectNode) r.get("metadata")).put("namespace", k.get("namespace").asText());
            }
        }
        List<String> ids = new ArrayList<>();
        for (ObjectNode r : out) {
            String id = id(r);
            if (ids.contains(id)) {
                throw new IllegalArgumentException("resource defined twice: " + id);
            }
            ids.add(id);
        }
        return out;
    }

    static String id(JsonNode r) {
        return r.path("apiVersion").asText() + " " + r.path("kind").asText() + " " + r.path("metadata").path("name").asText();
    }

    static List<JsonNode> read(Path file) {
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            List<JsonNode> docs = new ArrayList<>();
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static ObjectNode object(JsonNode doc, Path from) {
        if (!(doc instanceof ObjectNode o) || !o.hasNonNull("apiVersion") || !o.hasNonNull("kind")
                || !o.path("metadata").hasNonNull("name")) {
            throw new IllegalArgumentException(from + ": a resource needs apiVersion, kind and metadata.name: " + doc);
        }
        return o;
    }

    private static Path inside(Path dir, String relative) {
        Path p = dir.resolve(relative).normalize();
        if (!Files.exists(p)) {
            throw new IllegalArgumentException(dir + "/kustomization.yaml refers to " + relative + ", which does not exist");
        }
        return p;
    }

    private static ObjectNode configMap(Path dir, JsonNode g) {
        if (!g.path("options").path("disableNameSuffixHash").asBoolean(false)) {
            throw new IllegalArgumentException(dir + ": configMapGenerator without disableNameSuffixHash is not supported");
        }
        ObjectNode cm = JsonNodeFactory.instance.objectNode();
        cm.put("apiVersion", "v1");
        cm.put("kind", "ConfigMap");
        ObjectNode meta = cm.putObject("metadata");
        meta.put("name", g.get("name").asText());
        if (g.path("options").has("labels")) {
            meta.set("labels", g.path("options").get("labels").deepCopy());
        }
        ObjectNode data = cm.putObject("data");
        for (JsonNode f : g.path("files")) {
            Path file = dir.resolve(f.asText()).normalize();
            if (!file.startsWith(dir)) {
                throw new IllegalArgumentException(dir + ": configMapGenerator file outside the kustomization: " + f);
            }
            try {
                data.put(file.getFileName().toString(), Files.readString(inside(dir, f.asText())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cm;
    }

    private static void applyPatch(Path dir, List<ObjectNode> resources, JsonNode patch) {
        if (patch.hasNonNull("path")) {
            for (JsonNode p : read(inside(dir, patch.get("path").asText()))) {
                ObjectNode target = resources.stream().filter(r -> id(r).equals(id(p))).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(dir + ": patch target not found: " + id(p)));
                merge(target, (ObjectNode) p);
            }
        } else {
            JsonNode target = patch.get("target");
            List<ObjectNode> matched = resources.stream()
                    .filter(r -> !target.has("kind") || target.get("kind").asText().equals(r.path("kind").asText()))
                    .filter(r -> !target.has("name")
                            || target.get("name").asText().equals(r.path("metadata").path("name").asText()))
                    .toList();
            if (matched.isEmpty()) {
                throw new IllegalArgumentException(dir + ": patch target matches nothing: " + target);
            }
            JsonNode ops;
            try {
                ops = YAML.readTree(patch.get("patch").asText());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (ObjectNode r : matched) {
                for (JsonNode op : ops) {
                    jsonPatch(r, op, dir);
                }
            }
        }
    }

    /** Strategic merge as described in the class comment. */
    static void merge(ObjectNode target, ObjectNode patch) {
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode current = target.get(f.getKey());
            JsonNode value = f.getValue();
            if (value.isNull()) {
                target.remove(f.getKey());
            } else if (current instanceof ObjectNode c && value instanceof ObjectNode v) {
                merge(c, v);
            } else if (current instanceof ArrayNode c && value instanceof ArrayNode v && namedItems(c) && namedItems(v)) {
                Map<String, ObjectNode> byName = new LinkedHashMap<>();
                c.forEach(item -> byName.put(item.get("name").asText(), (ObjectNode) item));
                for (JsonNode item : v) {
                    ObjectNode existing = byName.get(item.get("name").asText());
                    if (existing == null) {
                        c.add(item.deepCopy());
                    } else {
                        merge(existing, (ObjectNode) item);
                    }
                }
            } else {
                target.set(f.getKey(), value.deepCopy());
            }
        }
    }

    private static boolean namedItems(ArrayNode a) {
        for (JsonNode item : a) {
            if (!item.isObject() || !item.hasNonNull("name")) {
                return false;
            }
        }
        return true;
    }

    private static void jsonPatch(ObjectNode resource, JsonNode op, Path dir) {
        String path = op.get("path").asText();
        String[] tokens = path.substring(1).split("/", -1);
        JsonNode parent = resource;
        for (int i = 0; i < tokens.length - 1; i++) {
            parent = child(parent, unescape(tokens[i]));
            if (parent == null) {
                throw new IllegalArgumentException(dir + ": JSON patch path does not exist in " + id(resource) + ": " + path);
            }
        }
        String last = unescape(tokens[tokens.length - 1]);
        String kind = op.get("op").asText();
        boolean exists = child(parent, last) != null;
        if ((kind.equals("replace") || kind.equals("remove")) && !exists) {
            throw new IllegalArgumentException(dir + ": JSON patch " + kind + " of a missing path in " + id(resource) + ": " + path);
        }
        switch (kind) {
            case "add", "replace" -> {
                JsonNode value = op.get("value").deepCopy();
                if (parent instanceof ObjectNode o) {
                    o.set(last, value);
                } else if (parent instanceof ArrayNode a) {
                    if (last.equals("-")) {
                        a.add(value);
                    } else if (kind.equals("add")) {
                        a.insert(Integer.parseInt(last), value);
                    } else {
                        a.set(Integer.parseInt(last), value);
                    }
                }
            }
            case "remove" -> {
                if (parent instanceof ObjectNode o) {
                    o.remove(last);
                } else {
                    ((ArrayNode) parent).remove(Integer.parseInt(last));
                }
            }
            default -> throw new IllegalArgumentException(dir + ": JSON patch op not supported: " + kind);
        }
    }

    private static JsonNode child(JsonNode node, String token) {
        if (node instanceof ObjectNode o) {
            return o.get(token);
        }
        if (node instanceof ArrayNode a && token.matches("\\d+")) {
            return a.get(Integer.parseInt(token));
        }
        return null;
    }

    private static String unescape(String token) {
        return token.replace("~1", "/").replace("~0", "~");
    }

    private static void applyImage(List<ObjectNode> resources, JsonNode image) {
        String name = image.get("name").asText();
        for (ObjectNode r : resources) {
            for (JsonNode c : r.path("spec").path("template").path("spec").path("containers")) {
                String ref = c.path("image").asText();
                int colon = ref.lastIndexOf(':');
                String repo = colon > ref.lastIndexOf('/') ? ref.substring(0, colon) : ref;
                String tag = colon > ref.lastIndexOf('/') ? ref.substring(colon + 1) : "latest";
                if (repo.equals(name)) {
                    String newRepo = image.path("newName").asText(repo);
                    String newTag = image.path("newTag").asText(tag);
                    ((ObjectNode) c).set("image", TextNode.valueOf(newRepo + ":" + newTag));
                }
            }
        }
    }
}
