package org.isolatedpg.spring.app;

import java.util.concurrent.CompletableFuture;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class NoteService {

    private final NoteRepository notes;

    NoteService(NoteRepository notes) {
        this.notes = notes;
    }

    @Transactional
    public Note write(String text) {
        return notes.save(new Note(text));
    }

    /** Writes on Boot's task executor, as work a test starts elsewhere. */
    @Async
    public CompletableFuture<Long> writeLater(String text) {
        return CompletableFuture.completedFuture(notes.save(new Note(text)).getId());
    }
}
