<?php
/**
 * Deleting the plugin removes what it stored.
 *
 * @package oovoo
 */

/**
 * uninstall.php, run as WordPress runs it.
 */
class UninstallTest extends OovooTestCase {

	public function test_uninstall_removes_the_settings_and_the_kept_sessions() {
		$this->set_up_settings();
		set_transient( 'oovoo_st_abc', array( 'token' => 'x' ), 60 );
		set_transient( 'unrelated_transient', 'kept', 60 );
		uninstall_plugin( 'oovoo/oovoo.php' );
		wp_cache_flush();
		$this->assertFalse( get_option( OOVOO_OPTION ) );
		$this->assertFalse( get_transient( 'oovoo_st_abc' ) );
		$this->assertSame( 'kept', get_transient( 'unrelated_transient' ) );
	}
}
