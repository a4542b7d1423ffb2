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
 */
public final class ClientFactory implements AutoCloseable {
    private final Region defaultRegion;
    private final SdkHttpClient httpClient;
    private final AwsCredentialsProvider credentials;
    private final Map<String, SdkClient> clients = new ConcurrentHashMap<>();

    public ClientFactory(Region defaultRegion) {
        this.defaultRegion = defaultRegion;
        this.httpClient = UrlConnectionHttpClient.builder()
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
        return (C) clients.computeIfAbsent(service + "@" + region.id(), k -> builder.get()
                .region(region)
                .credentialsProvider(credentials)
                .httpClient(httpClient)
                .build());
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
        String propSuffix = serviceEnvSuffix.charAt(0) + serviceEnvSuffix.substring(1).toLowerCase(java.util.Locale.ROOT);
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
        httpClient.close();
    }
}
