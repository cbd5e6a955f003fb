package dev.crm.shared.store;

import java.util.List;
import java.util.function.Function;

/** A page of a list and where the next one starts ({@code next} is null after the last page). */
public record Slice<T>(List<T> items, Cursor next) {
    public Slice {
        items = List.copyOf(items);
    }

    public static <T> Slice<T> last(List<T> items) {
        return new Slice<>(items, null);
    }

    public boolean hasMore() {
        return next != null;
    }

    public <R> Slice<R> map(Function<? super T, ? extends R> f) {
        return new Slice<>(items.stream().<R>map(f).toList(), next);
    }
}
