package org.isolatedpg.examples.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.isolatedpg.examples.library.SeedData.GRACE;

import javax.sql.DataSource;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.Test;

// tag::constructor[]
@IsolatedPostgres
class MemberRepositoryTests {

    private final MemberRepository members;

    MemberRepositoryTests(DataSource dataSource) {
        this.members = new MemberRepository(dataSource);
    }

    @Test
    void emailAddressesAreUniqueIgnoringCase() {
        assertThatExceptionOfType(DuplicateEmailException.class)
                .isThrownBy(() -> members.register("Ada King", "ADA@example.org"))
                .withMessage("A member with email ADA@example.org is already registered");
    }
    // end::constructor[]

    @Test
    void registeringAMemberAssignsAnId() {
        Member barbara = members.register("Barbara Liskov", "barbara@example.org");

        assertThat(barbara.id()).isPositive();
        assertThat(barbara.suspended()).isFalse();
        assertThat(members.findById(barbara.id())).contains(barbara);
    }

    @Test
    void findsAMemberByEmailIgnoringCase() {
        assertThat(members.findByEmail("Grace@Example.ORG"))
                .hasValueSatisfying(grace -> assertThat(grace.name()).isEqualTo("Grace Hopper"));
    }

    @Test
    void listsMembersByName() {
        assertThat(members.findAll())
                .extracting(Member::name)
                .containsExactly("Ada Lovelace", "Alan Turing", "Edsger Dijkstra", "Grace Hopper");
    }

    @Test
    void suspendingAndReinstatingAMemberIsStored() {
        members.suspend(GRACE);
        assertThat(members.findById(GRACE))
                .hasValueSatisfying(grace -> assertThat(grace.suspended()).isTrue());

        members.reinstate(GRACE);
        assertThat(members.findById(GRACE))
                .hasValueSatisfying(grace -> assertThat(grace.suspended()).isFalse());
    }

    @Test
    void suspendingAnUnknownMemberFails() {
        assertThatExceptionOfType(NotFoundException.class)
                .isThrownBy(() -> members.suspend(999))
                .withMessage("No member with id 999");
    }
}
