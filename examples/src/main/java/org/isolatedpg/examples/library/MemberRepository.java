package org.isolatedpg.examples.library;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Registers, finds and suspends members. */
public final class MemberRepository {

    private static final String SELECT_MEMBER = "SELECT id, name, email, suspended FROM member";

    private final Jdbc jdbc;

    public MemberRepository(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /**
     * Registers a new member.
     *
     * @throws DuplicateEmailException if another member has the same email address, ignoring case
     */
    public Member register(String name, String email) {
        try {
            return jdbc.queryOne(
                            "INSERT INTO member (name, email) VALUES (?, ?) RETURNING id, name, email, suspended",
                            MemberRepository::member,
                            name,
                            email)
                    .orElseThrow();
        } catch (DataAccessException e) {
            if (DataAccessException.UNIQUE_VIOLATION.equals(e.sqlState())) {
                throw new DuplicateEmailException(email, e);
            }
            throw e;
        }
    }

    public Optional<Member> findById(long id) {
        return jdbc.queryOne(SELECT_MEMBER + " WHERE id = ?", MemberRepository::member, id);
    }

    /** Finds a member by email address, ignoring case. */
    public Optional<Member> findByEmail(String email) {
        return jdbc.queryOne(SELECT_MEMBER + " WHERE lower(email) = lower(?)", MemberRepository::member, email);
    }

    /** All members, by name. */
    public List<Member> findAll() {
        return jdbc.query(SELECT_MEMBER + " ORDER BY name", MemberRepository::member);
    }

    /** Bars a member from borrowing; loans already open stay open. */
    public void suspend(long id) {
        setSuspended(id, true);
    }

    /** Lets a suspended member borrow again. */
    public void reinstate(long id) {
        setSuspended(id, false);
    }

    private void setSuspended(long id, boolean suspended) {
        if (jdbc.update("UPDATE member SET suspended = ? WHERE id = ?", suspended, id) == 0) {
            throw NotFoundException.member(id);
        }
    }

    private static Member member(ResultSet row) throws SQLException {
        return new Member(
                row.getLong("id"), row.getString("name"), row.getString("email"), row.getBoolean("suspended"));
    }
}
