package dev.keycloakmcp.sample.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class NotebookTest {

    @Test
    void notesBelongToTheirUserAndStayBounded() {
        Notebook notebook = new Notebook();
        notebook.add("alice", "first");
        notebook.add("bob", "other");
        assertEquals(List.of("first"), notebook.list("alice"));
        assertEquals(List.of(), notebook.list("carol"));
        for (int i = 0; i < Notebook.MAX_NOTES_PER_USER; i++) {
            notebook.add("alice", "note " + i);
        }
        List<String> kept = notebook.list("alice");
        assertEquals(Notebook.MAX_NOTES_PER_USER, kept.size());
        assertEquals("note 0", kept.get(0), "the oldest note went first");
        assertThrows(IllegalArgumentException.class, () -> notebook.add("alice", " "));
        assertThrows(IllegalArgumentException.class, () -> notebook.add("alice", "x".repeat(Notebook.MAX_NOTE_LENGTH + 1)));
    }
}
