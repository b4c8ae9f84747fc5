package org.isolatedpg.examples.library;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.Test;

// tag::minimal[]
@IsolatedPostgres
class GettingStartedExample {

    @Test
    void registersAMember(DataSource dataSource) {
        MemberRepository members = new MemberRepository(dataSource);

        Member barbara = members.register("Barbara Liskov", "barbara@example.org");

        assertThat(members.findByEmail("barbara@example.org")).contains(barbara);
    }
}
// end::minimal[]
