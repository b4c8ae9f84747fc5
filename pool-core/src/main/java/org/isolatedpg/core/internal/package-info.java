/**
 * Internal implementation of isolated-postgres. Not API: anything here may change in any release without notice.
 */
package org.isolatedpg.core.internal;
