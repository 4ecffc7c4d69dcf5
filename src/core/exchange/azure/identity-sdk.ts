/**
 * The part of @azure/identity that wif constructs, as a module of its own: the entry loads it
 * with import(), and an import() of the package itself would keep every credential it exports
 * (an import() namespace cannot be tree-shaken), about 340 KB that each run would compile.
 */
export { ClientAssertionCredential } from '@azure/identity';
