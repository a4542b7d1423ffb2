import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * What a function pays on its first invocation after a SnapStart restore, by way of priming, measured without
 * SnapStart (this machine has no CRaC JVM): the handler is built (Lambda's init), one priming variant runs (what
 * runs before the snapshot is taken, and is not paid again after a restore), then the first event is handled and
 * timed, then a second one (the warm reference). A restored snapshot starts with the primed JVM's loaded classes and
 * JIT state, so the first invocation's time here stands for the first invocation after a restore.
 *
 * <p>Run by bench/restore.py as a single-file program, one fresh JVM per sample, on the function's own artifact
 * classpath: {@code java -cp <lib/*> RestoreProbe <handler class> <event file> <variant>[+<variant>...]}.
 * Variants: {@code none}; {@code atrest} (the handler's own CRaC beforeCheckpoint: its prime() with SDK requests
 * built, marshalled and signed but stopped before transmission); {@code sdk} (the SDK's SdkWarmUp for the clients
 * the artifact carries: canned responses, so response parsing is warmed too); {@code powertools} (Powertools'
 * ClassPreLoader: the classes its own SnapStart priming list names). Prints one JSON line.
 */
public final class RestoreProbe {
    private static String primeError;

    private RestoreProbe() {}

    public static void main(String[] args) throws Exception {
        String handlerClass = args[0];
        byte[] event = new FileInputStream(args[1]).readAllBytes();
        String[] variants = args[2].split("\\+");
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();

        long t0 = System.nanoTime();
        long c0 = cpu.getCurrentThreadCpuTime();
        RequestStreamHandler handler = (RequestStreamHandler) Class.forName(handlerClass).getDeclaredConstructor()
                .newInstance();
        long initMs = (System.nanoTime() - t0) / 1_000_000;

        long p0 = System.nanoTime();
        for (String v : variants) {
            prime(v, handler);
        }
        long primeMs = (System.nanoTime() - p0) / 1_000_000;

        long f0 = System.nanoTime();
        long fc0 = cpu.getCurrentThreadCpuTime();
        invoke(handler, event, "first");
        double firstMs = (System.nanoTime() - f0) / 1e6;
        double firstCpuMs = (cpu.getCurrentThreadCpuTime() - fc0) / 1e6;

        long s0 = System.nanoTime();
        invoke(handler, event, "second");
        double secondMs = (System.nanoTime() - s0) / 1e6;

        System.out.println("{\"variant\":\"" + args[2] + "\",\"init_ms\":" + initMs + ",\"prime_ms\":" + primeMs
                + ",\"first_ms\":" + Math.round(firstMs * 10) / 10.0 + ",\"first_cpu_ms\":"
                + Math.round(firstCpuMs * 10) / 10.0 + ",\"second_ms\":" + Math.round(secondMs * 10) / 10.0
                + ",\"init_cpu_ms\":" + (cpu.getCurrentThreadCpuTime() - c0) / 1_000_000
                + (primeError == null ? "" : ",\"prime_error\":\"" + primeError.replace("\"", "'") + "\"") + "}");
        System.exit(0);
    }

    private static void prime(String variant, RequestStreamHandler handler) throws Exception {
        switch (variant) {
            case "none" -> { }
            case "atrest" -> ((org.crac.Resource) handler).beforeCheckpoint(null);
            case "sdk" -> {
                List<Class<? extends software.amazon.awssdk.core.SdkClient>> clients = new ArrayList<>();
                for (String name : new String[] {"software.amazon.awssdk.services.s3.S3Client",
                    "software.amazon.awssdk.services.kms.KmsClient", "software.amazon.awssdk.services.ec2.Ec2Client",
                    "software.amazon.awssdk.services.efs.EfsClient", "software.amazon.awssdk.services.sns.SnsClient",
                    "software.amazon.awssdk.services.securityhub.SecurityHubClient"}) {
                    try {
                        clients.add(Class.forName(name).asSubclass(software.amazon.awssdk.core.SdkClient.class));
                    } catch (ClassNotFoundException absent) {
                        // not in this artifact
                    }
                }
                @SuppressWarnings("unchecked")
                Class<? extends software.amazon.awssdk.core.SdkClient>[] array = clients.toArray(new Class[0]);
                software.amazon.awssdk.core.warmup.SdkWarmUp.warmUp(array);
            }
            case "powertools" -> {
                // Its list (classesloaded.txt) names AspectJ classes; without AspectJ (the functional API) the
                // first of them ends the preloading with a LinkageError, which is the result to report.
                try {
                    software.amazon.lambda.powertools.common.internal.ClassPreLoader.preloadClasses();
                } catch (LinkageError e) {
                    primeError = e.toString();
                }
            }
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        }
    }

    private static void invoke(RequestStreamHandler handler, byte[] event, String id) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new java.io.ByteArrayInputStream(event)) {
            handler.handleRequest(in, out, new ProbeContext(id));
        }
    }

    private record ProbeContext(String requestId) implements Context {
        @Override public String getAwsRequestId() { return requestId; }
        @Override public String getLogGroupName() { return "/aws/lambda/probe"; }
        @Override public String getLogStreamName() { return "probe"; }
        @Override public String getFunctionName() { return System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "probe"); }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:123456789012:function:" + getFunctionName();
        }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return 300_000; }
        @Override public int getMemoryLimitInMB() { return 1024; }
        @Override public LambdaLogger getLogger() { return null; }
    }
}
