<?php
/**
 * Creates or updates grantbot's local-wiki accounts and bot passwords in one
 * PHP process (one process instead of one per account keeps a fresh wiki
 * under two seconds).  Secrets come from a JSON file (mode 0600) named by
 * --spec, never from the command line, where `ps` would show them; nothing
 * secret is printed.
 *
 * Spec: {"users": [{"name": ..., "password": ...?, "groups": [...]?}],
 *        "botpasswords": [{"user": ..., "appid": ..., "secret": ..., "grants": [...]}]}
 * A user without "password" is created without one (an author of seeded
 * history).  Existing bot passwords with the same app id are replaced.
 */

$IP = getenv( 'MW_INSTALL_PATH' ) ?: '/usr/share/mediawiki';
require_once "$IP/maintenance/Maintenance.php";

use MediaWiki\MediaWikiServices;

class GrantbotProvision extends Maintenance {
	public function __construct() {
		parent::__construct();
		$this->addDescription( 'Create grantbot local-wiki accounts from a JSON spec.' );
		$this->addOption( 'spec', 'Path of the JSON spec', true, true );
	}

	public function execute() {
		$spec = json_decode( file_get_contents( $this->getOption( 'spec' ) ), true );
		if ( !is_array( $spec ) ) {
			$this->fatalError( 'spec is not valid JSON' );
		}
		$services = MediaWikiServices::getInstance();
		foreach ( $spec['users'] ?? [] as $entry ) {
			$this->ensureUser( $services, $entry );
		}
		foreach ( $spec['botpasswords'] ?? [] as $entry ) {
			$this->ensureBotPassword( $services, $entry );
		}
		$this->output( "provisioned\n" );
	}

	private function ensureUser( $services, array $entry ) {
		$name = $entry['name'];
		$user = $services->getUserFactory()->newFromName( $name );
		if ( !is_object( $user ) ) {
			$this->fatalError( "invalid user name: $name" );
		}
		if ( $user->idForName() === 0 ) {
			$status = $services->getAuthManager()->autoCreateUser(
				$user, MediaWiki\Auth\AuthManager::AUTOCREATE_SOURCE_MAINT, false
			);
			if ( !$status->isGood() ) {
				$this->fatalError( "cannot create $name: " . $status->getMessage( false, false, 'en' )->text() );
			}
			SiteStatsUpdate::factory( [ 'users' => 1 ] )->doUpdate();
		}
		if ( isset( $entry['password'] ) ) {
			$password = $entry['password'];
			$status = $user->changeAuthenticationData( [
				'username' => $user->getName(), 'password' => $password, 'retype' => $password,
			] );
			if ( !$status->isGood() ) {
				$this->fatalError( "cannot set the password of $name" );
			}
			$user->saveSettings();
		}
		$groups = $entry['groups'] ?? [];
		$manager = $services->getUserGroupManager();
		$missing = array_diff( $groups, $manager->getUserGroups( $user ) );
		if ( $missing ) {
			$manager->addUserToMultipleGroups( $user, $missing );
		}
	}

	private function ensureBotPassword( $services, array $entry ) {
		$user = $services->getUserFactory()->newFromName( $entry['user'] );
		if ( !$user || $user->idForName() === 0 ) {
			$this->fatalError( "no such user for a bot password: {$entry['user']}" );
		}
		$existing = BotPassword::newFromUser( $user, $entry['appid'], User::READ_LATEST );
		if ( $existing ) {
			$existing->delete();
		}
		$bp = BotPassword::newUnsaved( [
			'user' => $user, 'appId' => $entry['appid'], 'grants' => $entry['grants'],
		] );
		if ( !$bp ) {
			$this->fatalError( "cannot create the bot password {$entry['appid']}" );
		}
		$hash = $services->getPasswordFactory()->newFromPlaintext( $entry['secret'] );
		$status = $bp->save( 'insert', $hash );
		if ( !$status->isGood() ) {
			$this->fatalError( "cannot save the bot password {$entry['appid']}" );
		}
	}
}

$maintClass = GrantbotProvision::class;
require_once RUN_MAINTENANCE_IF_MAIN;
