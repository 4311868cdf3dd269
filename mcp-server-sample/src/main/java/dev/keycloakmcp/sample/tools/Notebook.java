package dev.keycloakmcp.sample.tools;

import java.util.ArrayList;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Each user's notes, kept in this server's memory (a sample: a real server would use its own store). Bounded: a
 * fixed number of users, notes per user and characters per note.
 */
public final class Notebook {

    static final int MAX_USERS = 10_000;
    static final int MAX_NOTES_PER_USER = 50;
    static final int MAX_NOTE_LENGTH = 1000;

    /** Immutable lists, replaced on each change, so that reading needs no lock. */
    private final Cache<String, List<String>> notes = Caffeine.newBuilder().maximumSize(MAX_USERS).build();

    /** Adds a note, dropping the user's oldest one past the limit. */
    public void add(String subject, String text) {
        if (text.isBlank() || text.length() > MAX_NOTE_LENGTH) {
            throw new IllegalArgumentException("A note has 1 to " + MAX_NOTE_LENGTH + " characters");
        }
        notes.asMap().compute(subject, (key, existing) -> {
            List<String> kept = new ArrayList<>(existing == null ? List.of() : existing);
            kept.add(text);
            return List.copyOf(kept.subList(Math.max(0, kept.size() - MAX_NOTES_PER_USER), kept.size()));
        });
    }

    public List<String> list(String subject) {
        List<String> kept = notes.getIfPresent(subject);
        return kept == null ? List.of() : kept;
    }
}
