package dev.crm.shared.config;

import java.time.Duration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * The one HTTP client of the process, shared by every AWS client and signed call (DynamoDB, Secrets
 * Manager, SES, EventBridge): each {@code UrlConnectionHttpClient} builds its own {@code SSLContext}
 * (trust store loaded and parsed), which a cold start should pay once. Clients given it do not close
 * it, so it lives as long as the process.
 */
public final class ProcessHttp {
    private ProcessHttp() {}

    /** Built on first use (the holder class), so a process that makes no AWS call never builds it. */
    public static SdkHttpClient client() {
        return Holder.CLIENT;
    }

    private static final class Holder {
        static final SdkHttpClient CLIENT = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(10))
                .build();
    }
}
