package dev.atrest.core.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Base of every atrest handler: reads the event with the project's own Jackson mapper (the runtime's relocated
 * Jackson would ignore our annotations and cannot take the untyped EventBridge shapes), runs the subclass inside
 * Powertools logging and metrics, and writes its result as JSON.
 */
public abstract class JsonHandler implements RequestStreamHandler {

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Object result = Invocation.run(context, () -> handle(Json.readTree(input), context));
        Json.MAPPER.writeValue(output, result);
    }

    /** Parses {@code event}, calls the service, returns the response object (serialised as JSON). */
    protected abstract Object handle(JsonNode event, Context context);
}
