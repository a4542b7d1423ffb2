package dev.atrest.core.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * The one place SDK clients are built. Clients are cached per service and region, so a container builds each client
 * once (at init, or the first time a region is audited) and every invocation reuses it.
 *
 * <p>Endpoint, retries and credentials come from the SDK's own standard settings ({@code AWS_ENDPOINT_URL},
 * {@code AWS_ENDPOINT_URL_<SERVICE>}, {@code AWS_MAX_ATTEMPTS}, {@code AWS_RETRY_MODE}, the default credentials
 * chain): the factory only adds what the SDK cannot infer, a shared lean HTTP client and, when an endpoint is
 * overridden (an emulator), path-style S3 addressing.
 *
 * <p>The HTTP client is URLConnection unless the SDK's own switch for the sync HTTP implementation,
 * {@code -Dsoftware.amazon.awssdk.http.service.impl=<SdkHttpService class>}, is set: then each client is left to
 * the SDK, which loads the named implementation (e.g. the AWS CRT client, if its jars are added) with its default
 * timeouts, one HTTP client per SDK client, so implementations can be compared or swapped without a rebuild.
 * URLConnection stays the default: the CRT client started no faster and nearly triples the artifact
 * (docs/notes/issue-6-http-client.md). It is set explicitly because the SDK's own classpath choice would change
 * whenever a dependency drags in another client.
 */
public final class ClientFactory implements AutoCloseable {
    private final Region defaultRegion;
    private final SdkHttpClient httpClient;
    private final AwsCredentialsProvider credentials;
    private final Map<String, SdkClient> clients = new ConcurrentHashMap<>();

    public ClientFactory(Region defaultRegion) {
        this.defaultRegion = defaultRegion;
        // Null when the SDK chooses: an explicit client would override the property, and building one here would
        // load URLConnection's classes for nothing. Read through the SDK's own setting so the two cannot disagree.
        this.httpClient = SdkSystemSetting.SYNC_HTTP_SERVICE_IMPL.getStringValue().isPresent()
                ? null
                : UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30))
                        .build();
        this.credentials = DefaultCredentialsProvider.builder().build();
    }

    /** Region from {@code AWS_REGION} (set by Lambda) or the SDK's default chain. */
    public static ClientFactory fromEnvironment() {
        return new ClientFactory(new DefaultAwsRegionProviderChain().getRegion());
    }

    public Region defaultRegion() {
        return defaultRegion;
    }

    /** A client for the default region. */
    public <B extends AwsSyncClientBuilder<B, C> & AwsClientBuilder<B, C>, C extends SdkClient> C client(
            String service, Supplier<B> builder) {
        return client(service, defaultRegion, builder);
    }

    /**
     * A client for {@code service} in {@code region}; {@code service} is the SDK's endpoint key (e.g. "s3", "kms",
     * "ec2", "elasticfilesystem", "securityhub", "sns").
     */
    @SuppressWarnings("unchecked")
    public <B extends AwsSyncClientBuilder<B, C> & AwsClientBuilder<B, C>, C extends SdkClient> C client(
            String service, Region region, Supplier<B> builder) {
        return (C) clients.computeIfAbsent(service + "@" + region.id(), k -> {
            B b = builder.get().region(region).credentialsProvider(credentials);
            // Added to the caller's override configuration: the Consumer form of overrideConfiguration starts from
            // an empty one and would silently drop the caller's interceptors, retry and timeout settings.
            b.overrideConfiguration(b.overrideConfiguration().toBuilder()
                    .addExecutionInterceptor(Priming.INTERCEPTOR)
                    .build());
            if (httpClient != null) {
                b.httpClient(httpClient);
            }
            // Otherwise the SDK builds (and the client's close() closes) an HTTP client of the named implementation.
            return b.build();
        });
    }

    /**
     * The endpoint override in force for {@code serviceEnvSuffix} (e.g. "S3"), following the SDK's precedence:
     * service-specific system property and environment variable first, then the global ones.
     */
    public static Optional<URI> endpointOverride(String serviceEnvSuffix) {
        if (isTrue(System.getProperty("aws.ignoreConfiguredEndpointUrls"))
                || isTrue(System.getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))) {
            return Optional.empty();
        }
        String propSuffix = propertySuffix(serviceEnvSuffix);
        String[] candidates = {
            System.getProperty("aws.endpointUrl" + propSuffix),
            System.getenv("AWS_ENDPOINT_URL_" + serviceEnvSuffix),
            System.getProperty("aws.endpointUrl"),
            System.getenv("AWS_ENDPOINT_URL"),
        };
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return Optional.of(URI.create(candidate.strip()));
            }
        }
        return Optional.empty();
    }

    /**
     * The SDK's system property suffix for an environment variable suffix: the service id without spaces, each word
     * capitalised ("S3" -> "S3", "S3_CONTROL" -> "S3Control", as in {@code aws.endpointUrlS3Control}).
     */
    static String propertySuffix(String serviceEnvSuffix) {
        StringBuilder out = new StringBuilder();
        for (String word : serviceEnvSuffix.split("_")) {
            if (!word.isEmpty()) {
                out.append(word.charAt(0)).append(word.substring(1).toLowerCase(java.util.Locale.ROOT));
            }
        }
        return out.toString();
    }

    /**
     * S3 Control's endpoint rules put the account id in front of the host ({@code {account}.s3-control...}), which
     * an emulator reached by address cannot serve. True only when an endpoint override is in force for S3 Control:
     * then clients resolve their endpoint without that label. Against AWS this is always false.
     */
    public static boolean s3ControlWithoutAccountHost() {
        return endpointOverride("S3_CONTROL").isPresent();
    }

    /** Emulators (moto) serve S3 only path-style; real S3 wants virtual-hosted style. */
    public static boolean s3PathStyle() {
        return endpointOverride("S3").isPresent();
    }

    private static boolean isTrue(String value) {
        return value != null && value.strip().equalsIgnoreCase("true");
    }

    @Override
    public void close() {
        clients.values().forEach(SdkClient::close);
        clients.clear();
        if (httpClient != null) {
            httpClient.close();
        }
    }
}
