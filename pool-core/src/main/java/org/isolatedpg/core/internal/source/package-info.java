/**
 * What every kind of template source implements, and what it is given: one interface, its inputs to the fingerprint
 * and the database it builds into. Each kind lives in a package of its own (one per third-party library).
 */
package org.isolatedpg.core.internal.source;
