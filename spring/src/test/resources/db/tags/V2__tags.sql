create table tag (note_id bigint not null references note, name text not null);
