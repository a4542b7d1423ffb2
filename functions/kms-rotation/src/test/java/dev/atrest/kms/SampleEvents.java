package dev.atrest.kms;

import dev.atrest.testing.EventFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What the KMS tests know of the project's sample events (read with {@link EventFiles}). */
final class SampleEvents {
    /** The key id the CloudTrail samples name (as in the AWS documentation examples). */
    static final String SAMPLE_KEY = "1234abcd-12ab-34cd-56ef-1234567890ab";
    static final String SAMPLE_MRK = "mrk-1234abcd12ab34cd56ef1234567890ab";

    private SampleEvents() {}

    /**
     * The CloudTrail samples this function's rule delivers: KMS calls named in the template's KeyApiCall pattern
     * (other functions' samples, e.g. the audit's ScheduleKeyDeletion, are not its events).
     */
    static List<String> cloudTrailFiles() {
        java.util.Set<String> delivered = ruleEventNames();
        try (Stream<Path> files = Files.list(EventFiles.dir())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("cloudtrail-") && n.endsWith(".json"))
                    .filter(n -> {
                        com.fasterxml.jackson.databind.JsonNode detail = EventFiles.json(EventFiles.text(n)).path("detail");
                        return "kms.amazonaws.com".equals(detail.path("eventSource").asText())
                                && delivered.contains(detail.path("eventName").asText());
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The event names of the KMS function's KeyApiCall rule, read from template.yaml. */
    static java.util.Set<String> ruleEventNames() {
        Path dir = EventFiles.dir().toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("template.yaml"))) {
            dir = dir.getParent();
        }
        try (java.io.Reader in = Files.newBufferedReader(dir.resolve("template.yaml"))) {
            org.yaml.snakeyaml.nodes.Node node = new org.yaml.snakeyaml.Yaml().compose(in);
            for (String key : List.of("Resources", "KmsRotationFunction", "Properties", "Events", "KeyApiCall",
                    "Properties", "Pattern", "detail", "eventName")) {
                node = ((org.yaml.snakeyaml.nodes.MappingNode) node).getValue().stream()
                        .filter(t -> key.equals(((org.yaml.snakeyaml.nodes.ScalarNode) t.getKeyNode()).getValue()))
                        .findFirst().orElseThrow(() -> new IllegalStateException("template.yaml has no " + key))
                        .getValueNode();
            }
            return ((org.yaml.snakeyaml.nodes.SequenceNode) node).getValue().stream()
                    .map(n -> ((org.yaml.snakeyaml.nodes.ScalarNode) n).getValue())
                    .collect(java.util.stream.Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
