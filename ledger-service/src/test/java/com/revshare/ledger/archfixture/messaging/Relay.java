package com.revshare.ledger.archfixture.messaging;

import com.revshare.ledger.archfixture.persistence.Repository;

/** Breaks the layers on purpose (see DependencyRuleTest): a messaging adapter naming a persistence class. */
public class Relay {
    public int backlog(Repository repository) {
        return repository.rows();
    }
}
