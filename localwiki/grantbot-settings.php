<?php
// grantbot's additions to the installer's LocalSettings.php for the throwaway
// local wiki.  Read by PHP at every request: the server must be restarted
// (`grantbot wiki down; grantbot wiki up`) after editing a wiki's copy.
if ( !defined( 'MEDIAWIKI' ) ) {
	exit;
}

// Meta-Wiki's grant namespaces, with subpages as on Meta.
$wgExtraNamespaces[200] = 'Grants';
$wgExtraNamespaces[201] = 'Grants_talk';
$wgNamespacesWithSubpages[200] = true;
$wgNamespacesWithSubpages[201] = true;
$wgContentNamespaces[] = 200;

// A bot logging in with a BotPassword, at test speed.
$wgEnableBotPasswords = true;
$wgRateLimits = [];
$wgGroupPermissions['bot']['noratelimit'] = true;
$wgGroupPermissions['user']['noratelimit'] = true;
$wgPasswordAttemptThrottle = [];
$wgAccountCreationThrottle = [];

// Nothing leaves the machine; failures are shown in full.
$wgEnableEmail = false;
$wgEnableUserEmail = false;
$wgEmailAuthentication = false;
$wgShowExceptionDetails = true;
$wgUseInstantCommons = false;
$wgPingback = false;
$wgJobRunRate = 1;

// Templates used on grant pages ({{#if:}} and friends).
wfLoadExtension( 'ParserFunctions' );

// Seeding steps (imports, seed accounts) of this throwaway wiki: SQLite
// without an fsync per write, about three times faster; the server keeps
// SQLite's defaults.
if ( getenv( 'GRANTBOT_BULK_IMPORT' ) ) {
	$wgDBservers = [ [
		'type' => 'sqlite', 'dbname' => $wgDBname, 'dbDirectory' => $wgSQLiteDataDir,
		'host' => 'localhost', 'user' => '', 'password' => '', 'flags' => DBO_DEFAULT,
		'load' => 1, 'variables' => [ 'synchronous' => 'OFF' ],
	] ];
}
