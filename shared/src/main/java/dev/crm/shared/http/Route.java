package dev.crm.shared.http;

import dev.crm.shared.tenant.Scope;
import java.util.Set;

/**
 * One API route: method, path template (as in template.yaml), the scope it needs (null: public),
 * and what body it takes.
 */
public record Route(String method, String path, Scope scope, Set<String> mediaTypes, int maxBodyBytes,
        Handler handler) {

    /** The JSON body limit for ordinary routes (documented in docs/api.md). */
    public static final int DEFAULT_MAX_BODY = 64 * 1024;

    @FunctionalInterface
    public interface Handler {
        ApiResponse handle(ApiRequest request);
    }

    public boolean isPublic() {
        return scope == null;
    }

    public boolean takesBody() {
        return !mediaTypes.isEmpty();
    }

    public String key() {
        return method + " " + path;
    }
}
