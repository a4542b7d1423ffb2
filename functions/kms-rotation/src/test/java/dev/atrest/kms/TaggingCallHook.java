package dev.atrest.kms;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.GetResourcesRequest;

/**
 * Lets a test change tags right after the sweep's bulk read has been answered, before any key is acted on: the
 * real order of events when the Tagging API's eventually consistent view lags behind KMS. Registered for every
 * Tagging API client through the SDK's classpath hook
 * {@code software/amazon/awssdk/services/resourcegroupstaggingapi/execution.interceptors} (a test resource); it only
 * runs what a test set, once.
 */
public final class TaggingCallHook implements ExecutionInterceptor {
    private static volatile Runnable afterGetResources;

    /** Runs {@code action} once, after the next GetResources answer. */
    public static void afterNextGetResources(Runnable action) {
        afterGetResources = action;
    }

    public static void clear() {
        afterGetResources = null;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        Runnable action = afterGetResources;
        if (action != null && context.request() instanceof GetResourcesRequest) {
            afterGetResources = null;
            action.run();
        }
    }
}
