package dev.atrest.core;

import dev.atrest.core.aws.ClientFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpService;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * Run in a fresh JVM by {@link ClientFactoryEmulatorTest}: the SDK resolves (and caches) its HTTP implementation once per JVM,
 * so the choice can only be observed reliably in a process of its own. Calls SNS through a {@link ClientFactory}
 * client against {@code aws.endpointUrl} and prints one line: the HTTP client the SDK reports in its User-Agent
 * ({@code md/http#<clientName>}), whether the SDK's service loader instantiated {@link RecordingHttpService}, and
 * the topic created.
 */
public final class HttpClientProbe {
    private static final Pattern HTTP_CLIENT = Pattern.compile("md/http#(\\S+)");
    private static volatile String userAgent = "";

    private HttpClientProbe() {}

    public static void main(String[] args) {
        try (ClientFactory factory = new ClientFactory(Region.US_EAST_1)) {
            SnsClient sns = factory.client("sns", () -> SnsClient.builder()
                    .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                        @Override
                        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                            userAgent = context.httpRequest().firstMatchingHeader("User-Agent").orElse("");
                        }
                    })));
            String topic = sns.createTopic(b -> b.name("atrest-probe")).topicArn();
            Matcher m = HTTP_CLIENT.matcher(userAgent);
            System.out.println("probe http=" + (m.find() ? m.group(1) : "?(" + userAgent + ")")
                    + " serviceLoaded=" + RecordingHttpService.instantiated + " topic=" + topic);
        }
    }

    /**
     * A sync HTTP implementation of our own, so a test can tell whether the SDK loaded it: it reports itself as
     * {@code AtrestProbe} and sends through URLConnection. Registered for the SDK's service loader only on the child
     * JVM's class path (a META-INF/services file the test writes), or named by the SDK's system property.
     */
    public static final class RecordingHttpService implements SdkHttpService {
        static volatile boolean instantiated;

        public RecordingHttpService() {
            instantiated = true;
        }

        @Override
        public SdkHttpClient.Builder<ProbeBuilder> createHttpClientBuilder() {
            return new ProbeBuilder();
        }
    }

    private static final class ProbeBuilder implements SdkHttpClient.Builder<ProbeBuilder> {
        @Override
        public SdkHttpClient buildWithDefaults(AttributeMap serviceDefaults) {
            SdkHttpClient delegate = UrlConnectionHttpClient.builder().buildWithDefaults(serviceDefaults);
            return new SdkHttpClient() {
                @Override
                public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
                    return delegate.prepareRequest(request);
                }

                @Override
                public String clientName() {
                    return "AtrestProbe";
                }

                @Override
                public void close() {
                    delegate.close();
                }
            };
        }
    }
}
